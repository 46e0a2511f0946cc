package io.wetee.attestation;

import java.util.Arrays;

/**
 * Bounds-checked little-endian reader over a byte array. Every read names its field so that a short
 * or inconsistent input becomes an {@link EvidenceFormatException} with field and offset. Lengths
 * read from the input are checked against the bytes that remain before anything is allocated, so an
 * untrusted length never drives an allocation beyond the input size.
 */
final class ByteReader {
  private final byte[] buf;
  private final int end;
  private int pos;

  ByteReader(byte[] buf) {
    this(buf, 0, buf.length);
  }

  ByteReader(byte[] buf, int start, int end) {
    this.buf = buf;
    this.pos = start;
    this.end = end;
  }

  int position() {
    return pos;
  }

  int remaining() {
    return end - pos;
  }

  private void need(long n, String field) {
    if (n < 0 || n > end - pos) {
      throw new EvidenceFormatException(
          field, pos, "needs " + n + " bytes, " + (end - pos) + " remain");
    }
  }

  int u8(String field) {
    need(1, field);
    return buf[pos++] & 0xff;
  }

  int u16(String field) {
    need(2, field);
    int v = (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8;
    pos += 2;
    return v;
  }

  long u32(String field) {
    need(4, field);
    long v = u32At(buf, pos);
    pos += 4;
    return v;
  }

  long u64(String field) {
    need(8, field);
    long v = u32At(buf, pos) | u32At(buf, pos + 4) << 32;
    pos += 8;
    return v;
  }

  byte[] bytes(long n, String field) {
    need(n, field);
    byte[] out = Arrays.copyOfRange(buf, pos, pos + (int) n);
    pos += (int) n;
    return out;
  }

  /** A reader over the next {@code n} bytes; this reader skips them. */
  ByteReader sub(long n, String field) {
    need(n, field);
    ByteReader r = new ByteReader(buf, pos, pos + (int) n);
    pos += (int) n;
    return r;
  }

  void skip(long n, String field) {
    need(n, field);
    pos += (int) n;
  }

  static long u32At(byte[] b, int off) {
    return (b[off] & 0xffL)
        | (b[off + 1] & 0xffL) << 8
        | (b[off + 2] & 0xffL) << 16
        | (b[off + 3] & 0xffL) << 24;
  }
}
