package io.wetee.oci;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads tar entries: POSIX ustar, pax extended headers and GNU long names. Used for program bundles
 * (wetee-worker) and image layers. Not thread-safe: one reader per stream, entries in order.
 */
public final class TarReader {
  /*
   * Design notes: a small reader of our own rather than Apache Commons Compress (which would bring
   * commons-io and commons-lang3): bundles are produced by our packer or by GNU/BSD tar, so ustar
   * (POSIX.1-1988, with the 155-byte prefix), pax 'x' headers (POSIX.1-2001: path, linkpath, size)
   * and GNU 'L'/'K' long names cover them; the security checks must be ours in either case. Every
   * header's checksum is verified; octal and GNU base-256 sizes are read; a 'g' global header is
   * skipped (its keys only matter for metadata we ignore). The caller sees each entry once with its
   * final name, and its content as a bounded stream.
   */

  /**
   * One entry as the archive names it (not normalised, not checked: callers decide what is safe).
   *
   * @param name the entry's path, after pax and GNU long-name headers
   * @param type the ustar typeflag ('0' file, '1' hard link, '2' symlink, '5' directory, ...)
   * @param size the content size in bytes (0 for entries without content)
   * @param mode the permission bits of the header, including set-id and sticky bits
   * @param linkName the target of a symlink or hard link, empty otherwise
   * @param mtime the modification time in seconds since the epoch (pax mtime when present)
   * @param uid the owner's numeric user id (pax uid when present)
   * @param gid the owner's numeric group id (pax gid when present)
   */
  public record Entry(
      String name,
      char type,
      long size,
      int mode,
      String linkName,
      long mtime,
      long uid,
      long gid) {}

  private static final int BLOCK = 512;

  private final InputStream in;
  private long remaining;
  private long padding;

  /** A reader over the uncompressed archive {@code in}; the caller closes {@code in}. */
  public TarReader(InputStream in) {
    this.in = in;
  }

  /** The next entry, or empty at the end of the archive. */
  public Optional<Entry> next() throws IOException {
    skipRest();
    Map<String, String> pax = new HashMap<>();
    String longName = null;
    String longLink = null;
    while (true) {
      byte[] header = readBlock();
      if (header == null || isZero(header)) {
        return Optional.empty();
      }
      verifyChecksum(header);
      char type = (char) header[156];
      long size = size(header);
      switch (type) {
        case 'x' -> pax.putAll(parsePax(readData(size)));
        case 'g' -> readData(size);
        case 'L' -> longName = cString(readData(size));
        case 'K' -> longLink = cString(readData(size));
        default -> {
          return Optional.of(entry(header, type, size, pax, longName, longLink));
        }
      }
    }
  }

  private Entry entry(
      byte[] h, char type, long size, Map<String, String> pax, String longName, String longLink)
      throws TarFormatException {
    String name = longName != null ? longName : ustarName(h);
    String link = longLink != null ? longLink : field(h, 157, 100);
    name = pax.getOrDefault("path", name);
    link = pax.getOrDefault("linkpath", link);
    if (pax.containsKey("size")) {
      size = parseLong(pax.get("size"));
    }
    boolean hasData = type == '0' || type == '\0' || type == '7';
    remaining = hasData ? size : 0;
    padding = hasData ? (BLOCK - size % BLOCK) % BLOCK : 0;
    long mtime = octal(h, 136, 12);
    if (pax.containsKey("mtime")) {
      String value = pax.get("mtime");
      int dot = value.indexOf('.');
      mtime = parseLong(dot < 0 ? value : value.substring(0, dot));
    }
    long uid = pax.containsKey("uid") ? parseLong(pax.get("uid")) : octal(h, 108, 8);
    long gid = pax.containsKey("gid") ? parseLong(pax.get("gid")) : octal(h, 116, 8);
    return new Entry(
        name, type == '\0' ? '0' : type, size, (int) octal(h, 100, 8), link, mtime, uid, gid);
  }

  /** The current entry's content; reads past its end return -1. */
  public InputStream content() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (remaining <= 0) {
          return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
          throw new EOFException("archive ends inside an entry");
        }
        remaining -= n;
        return n;
      }
    };
  }

  private void skipRest() throws IOException {
    skipFully(remaining + padding);
    remaining = 0;
    padding = 0;
  }

  private byte[] readData(long size) throws IOException {
    if (size > 1 << 20) {
      throw new TarFormatException("extended header over 1 MiB", false);
    }
    byte[] data = in.readNBytes((int) size);
    if (data.length != size) {
      throw new EOFException("archive ends inside a header");
    }
    skipFully((BLOCK - size % BLOCK) % BLOCK);
    return data;
  }

  private byte[] readBlock() throws IOException {
    byte[] block = in.readNBytes(BLOCK);
    if (block.length == 0) {
      return null;
    }
    if (block.length < BLOCK) {
      throw new EOFException("archive ends inside a header block");
    }
    return block;
  }

  private void skipFully(long n) throws IOException {
    long left = n;
    while (left > 0) {
      long skipped = in.skip(left);
      if (skipped <= 0) {
        if (in.read() < 0) {
          throw new EOFException("archive ends inside an entry");
        }
        skipped = 1;
      }
      left -= skipped;
    }
  }

  private static void verifyChecksum(byte[] h) throws TarFormatException {
    long expected = octal(h, 148, 8);
    long sum = 0;
    for (int i = 0; i < BLOCK; i++) {
      sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xff);
    }
    if (sum != expected) {
      throw new TarFormatException("tar header checksum mismatch", false);
    }
  }

  private static long size(byte[] h) throws TarFormatException {
    if ((h[124] & 0x80) != 0) {
      // GNU base-256: big-endian two's complement in the remaining bytes of the field.
      long value = 0;
      for (int i = 125; i < 136; i++) {
        value = (value << 8) | (h[i] & 0xff);
      }
      if (value < 0 || (h[124] & 0x7f) != 0) {
        throw new TarFormatException("entry size out of range", true);
      }
      return value;
    }
    return octal(h, 124, 12);
  }

  private static long octal(byte[] h, int offset, int length) {
    long value = 0;
    for (int i = offset; i < offset + length; i++) {
      byte b = h[i];
      if (b >= '0' && b <= '7') {
        value = value * 8 + (b - '0');
      } else if (b == 0 || (b == ' ' && value > 0)) {
        break;
      }
    }
    return value;
  }

  private static String ustarName(byte[] h) {
    String name = field(h, 0, 100);
    boolean ustar = new String(h, 257, 6, StandardCharsets.US_ASCII).equals("ustar\0");
    String prefix = ustar ? field(h, 345, 155) : "";
    return prefix.isEmpty() ? name : prefix + "/" + name;
  }

  private static String field(byte[] h, int offset, int length) {
    int end = offset;
    while (end < offset + length && h[end] != 0) {
      end++;
    }
    return new String(h, offset, end - offset, StandardCharsets.UTF_8);
  }

  private static String cString(byte[] data) {
    int end = 0;
    while (end < data.length && data[end] != 0) {
      end++;
    }
    return new String(data, 0, end, StandardCharsets.UTF_8);
  }

  /** Pax records: "LENGTH KEY=VALUE\n", LENGTH counting the whole record in bytes. */
  static Map<String, String> parsePax(byte[] data) throws TarFormatException {
    Map<String, String> values = new HashMap<>();
    int pos = 0;
    while (pos < data.length) {
      int space = indexOf(data, (byte) ' ', pos);
      long length =
          space < 0 ? -1 : parseLong(new String(data, pos, space - pos, StandardCharsets.US_ASCII));
      if (length <= 0 || pos + length > data.length || data[(int) (pos + length - 1)] != '\n') {
        throw new TarFormatException("malformed pax header", false);
      }
      String record =
          new String(data, space + 1, (int) (pos + length - space - 2), StandardCharsets.UTF_8);
      int eq = record.indexOf('=');
      if (eq <= 0) {
        throw new TarFormatException("malformed pax record", false);
      }
      values.put(record.substring(0, eq), record.substring(eq + 1));
      pos += (int) length;
    }
    return values;
  }

  private static int indexOf(byte[] data, byte b, int from) {
    for (int i = from; i < data.length; i++) {
      if (data[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private static long parseLong(String text) throws TarFormatException {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new TarFormatException("not a number in a tar header: " + text, false);
    }
  }

  private static boolean isZero(byte[] block) {
    return Arrays.equals(block, new byte[BLOCK]);
  }
}
