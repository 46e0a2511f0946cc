package io.wetee.worker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Writes reproducible POSIX ustar entries, with pax headers for names over 100 bytes. */
final class TarWriter {
  /*
   * Design notes: reproducible means the same tree gives the same bytes on every machine: no
   * timestamps (mtime 0), no owners (uid/gid 0, empty user and group names), modes normalised by
   * the caller, entries in the caller's (sorted) order, pax header names derived from the entry
   * name only, and the archive padded to the customary 10240-byte record. The raw entry method
   * exists so tests can build archives the packer would never produce (absolute names, devices).
   */

  static final int BLOCK = 512;
  private static final int RECORD = 10240;

  private final OutputStream out;
  private long written;

  TarWriter(OutputStream out) {
    this.out = out;
  }

  void directory(String name) throws IOException {
    entry(name.endsWith("/") ? name : name + "/", '5', 0755, 0, "");
  }

  void file(String name, boolean executable, long size, InputStream content) throws IOException {
    entry(name, '0', executable ? 0755 : 0644, size, "");
    long copied = content.transferTo(out);
    if (copied != size) {
      throw new IOException(name + " changed size while being packed");
    }
    written += copied;
    pad();
  }

  void symlink(String name, String target) throws IOException {
    entry(name, '2', 0777, 0, target);
  }

  /** Any header; for a type with data the caller writes {@code size} bytes and calls pad(). */
  void entry(String name, char type, int mode, long size, String linkName) throws IOException {
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    byte[] linkBytes = linkName.getBytes(StandardCharsets.UTF_8);
    if (nameBytes.length > 100 || linkBytes.length > 100) {
      paxHeader(
          name, nameBytes.length > 100 ? name : null, linkBytes.length > 100 ? linkName : null);
    }
    writeHeader(truncate(nameBytes), type, mode, size, truncate(linkBytes));
  }

  /** Raw bytes after an entry header. */
  void data(byte[] bytes) throws IOException {
    out.write(bytes);
    written += bytes.length;
  }

  void pad() throws IOException {
    int rest = (int) (written % BLOCK);
    if (rest != 0) {
      out.write(new byte[BLOCK - rest]);
      written += BLOCK - rest;
    }
  }

  /** Two zero blocks, then zeros up to the next full record. */
  void finish() throws IOException {
    out.write(new byte[2 * BLOCK]);
    written += 2 * BLOCK;
    int rest = (int) (written % RECORD);
    if (rest != 0) {
      out.write(new byte[RECORD - rest]);
      written += RECORD - rest;
    }
    out.flush();
  }

  private void paxHeader(String name, String path, String linkPath) throws IOException {
    StringBuilder records = new StringBuilder();
    if (path != null) {
      records.append(paxRecord("path", path));
    }
    if (linkPath != null) {
      records.append(paxRecord("linkpath", linkPath));
    }
    byte[] data = records.toString().getBytes(StandardCharsets.UTF_8);
    byte[] headerName = truncate(("PaxHeaders/" + name).getBytes(StandardCharsets.UTF_8));
    writeHeader(headerName, 'x', 0644, data.length, new byte[0]);
    data(data);
    pad();
  }

  /** "LENGTH KEY=VALUE\n" where LENGTH counts itself. */
  static String paxRecord(String key, String value) {
    int body = (" " + key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8).length;
    int length = body + Integer.toString(body).length();
    if (Integer.toString(length).length() != Integer.toString(body).length()) {
      length++;
    }
    return length + " " + key + "=" + value + "\n";
  }

  private void writeHeader(byte[] name, char type, int mode, long size, byte[] link)
      throws IOException {
    byte[] h = new byte[BLOCK];
    System.arraycopy(name, 0, h, 0, name.length);
    octal(h, 100, 8, mode);
    octal(h, 108, 8, 0);
    octal(h, 116, 8, 0);
    octal(h, 124, 12, size);
    octal(h, 136, 12, 0);
    h[156] = (byte) type;
    System.arraycopy(link, 0, h, 157, link.length);
    byte[] magic = "ustar\u000000".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(magic, 0, h, 257, magic.length);
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    octal(h, 148, 7, sum);
    out.write(h);
    written += BLOCK;
  }

  private static void octal(byte[] h, int offset, int length, long value) throws IOException {
    String digits = Long.toOctalString(value);
    if (digits.length() > length - 1) {
      throw new IOException("value too large for a ustar field: " + value);
    }
    String padded = "0".repeat(length - 1 - digits.length()) + digits;
    byte[] bytes = padded.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(bytes, 0, h, offset, bytes.length);
    h[offset + length - 1] = 0;
  }

  private static byte[] truncate(byte[] bytes) {
    return bytes.length <= 100 ? bytes : java.util.Arrays.copyOf(bytes, 100);
  }
}
