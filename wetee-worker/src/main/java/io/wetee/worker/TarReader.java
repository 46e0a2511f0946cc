package io.wetee.worker;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Reads tar entries: POSIX ustar, pax extended headers and GNU long names. */
final class TarReader {
  /*
   * Design notes: a small reader of our own rather than Apache Commons Compress (which would bring
   * commons-io and commons-lang3): bundles are produced by our packer or by GNU/BSD tar, so ustar
   * (POSIX.1-1988, with the 155-byte prefix), pax 'x' headers (POSIX.1-2001: path, linkpath, size)
   * and GNU 'L'/'K' long names cover them; the security checks must be ours in either case. Every
   * header's checksum is verified; octal and GNU base-256 sizes are read; a 'g' global header is
   * skipped (its keys only matter for metadata we ignore). The caller sees each entry once with its
   * final name, and its content as a bounded stream.
   */

  /** One entry: type is the ustar typeflag ('0' file, '5' directory, '2' symlink, ...). */
  record Entry(String name, char type, long size, int mode, String linkName) {}

  private static final int BLOCK = 512;

  private final InputStream in;
  private long remaining;
  private long padding;

  TarReader(InputStream in) {
    this.in = in;
  }

  /** The next entry, or empty at the end of the archive. */
  Optional<Entry> next() throws IOException, BundleRejected {
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
      throws BundleRejected {
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
    return new Entry(name, type == '\0' ? '0' : type, size, (int) octal(h, 100, 8), link);
  }

  /** The current entry's content; reads past its end return -1. */
  InputStream content() {
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

  private byte[] readData(long size) throws IOException, BundleRejected {
    if (size > 1 << 20) {
      throw new BundleRejected(BundleRefusal.MALFORMED, "extended header over 1 MiB");
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

  private static void verifyChecksum(byte[] h) throws BundleRejected {
    long expected = octal(h, 148, 8);
    long sum = 0;
    for (int i = 0; i < BLOCK; i++) {
      sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xff);
    }
    if (sum != expected) {
      throw new BundleRejected(BundleRefusal.MALFORMED, "tar header checksum mismatch");
    }
  }

  private static long size(byte[] h) throws BundleRejected {
    if ((h[124] & 0x80) != 0) {
      // GNU base-256: big-endian two's complement in the remaining bytes of the field.
      long value = 0;
      for (int i = 125; i < 136; i++) {
        value = (value << 8) | (h[i] & 0xff);
      }
      if (value < 0 || (h[124] & 0x7f) != 0) {
        throw new BundleRejected(BundleRefusal.TOO_LARGE, "entry size out of range");
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
  static Map<String, String> parsePax(byte[] data) throws BundleRejected {
    Map<String, String> values = new HashMap<>();
    int pos = 0;
    while (pos < data.length) {
      int space = indexOf(data, (byte) ' ', pos);
      long length =
          space < 0 ? -1 : parseLong(new String(data, pos, space - pos, StandardCharsets.US_ASCII));
      if (length <= 0 || pos + length > data.length || data[(int) (pos + length - 1)] != '\n') {
        throw new BundleRejected(BundleRefusal.MALFORMED, "malformed pax header");
      }
      String record =
          new String(data, space + 1, (int) (pos + length - space - 2), StandardCharsets.UTF_8);
      int eq = record.indexOf('=');
      if (eq <= 0) {
        throw new BundleRejected(BundleRefusal.MALFORMED, "malformed pax record");
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

  private static long parseLong(String text) throws BundleRejected {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new BundleRejected(BundleRefusal.MALFORMED, "not a number in a tar header: " + text);
    }
  }

  private static boolean isZero(byte[] block) {
    return Arrays.equals(block, new byte[BLOCK]);
  }
}
