package io.wetee.crypto;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;

/** Small byte helpers: fixed-width big-endian integers and concatenation. */
final class Bytes {
  private Bytes() {}

  /** Concatenates the parts in order. */
  static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] p : parts) {
      length += p.length;
    }
    byte[] out = new byte[length];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  /** Non-negative {@code value} as exactly {@code width} big-endian bytes. */
  static byte[] unsigned(BigInteger value, int width) {
    if (value.signum() < 0 || value.bitLength() > width * 8) {
      throw new InvalidInputException(
          Reason.VALUE_OUT_OF_RANGE, "integer does not fit " + width + " unsigned bytes");
    }
    byte[] raw = value.toByteArray();
    byte[] out = new byte[width];
    int copy = Math.min(raw.length, width);
    System.arraycopy(raw, raw.length - copy, out, width - copy, copy);
    return out;
  }

  /** The low {@code width} bytes of {@code value}, big-endian (two's complement for negatives). */
  static byte[] bigEndian(long value, int width) {
    byte[] out = new byte[width];
    long v = value;
    for (int i = width - 1; i >= 0; i--) {
      out[i] = (byte) v;
      v >>>= 8;
    }
    return out;
  }

  /** A growable buffer for canonical encodings. */
  static final class Writer {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Writer u8(int value) {
      out.write(value);
      return this;
    }

    Writer u16(int value) {
      if (value < 0 || value > 0xFFFF) {
        throw new InvalidInputException(Reason.VALUE_OUT_OF_RANGE, "does not fit 16 bits");
      }
      return bytes(bigEndian(value, 2));
    }

    Writer bytes(byte[] value) {
      out.writeBytes(value);
      return this;
    }

    byte[] toByteArray() {
      return out.toByteArray();
    }
  }
}
