package io.wetee.crypto;

import java.util.Arrays;

/**
 * Strict sequential reader for canonical encodings: every read checks the remaining length, and
 * {@link #end()} rejects trailing bytes. Failures are {@link InvalidInputException}s.
 */
final class ByteReader {
  private final byte[] data;
  private final String what;
  private int at;

  ByteReader(byte[] data, String what) {
    this.data = data;
    this.what = what;
  }

  int remaining() {
    return data.length - at;
  }

  byte[] bytes(int n) {
    if (n < 0 || remaining() < n) {
      throw new InvalidInputException(
          Reason.WRONG_LENGTH, what + " is truncated at byte " + at + " (needs " + n + " more)");
    }
    byte[] out = Arrays.copyOfRange(data, at, at + n);
    at += n;
    return out;
  }

  int u8() {
    return bytes(1)[0] & 0xFF;
  }

  int u16() {
    byte[] b = bytes(2);
    return ((b[0] & 0xFF) << 8) | (b[1] & 0xFF);
  }

  /** Reads a version byte and rejects any other value. */
  void expectVersion(int version) {
    int v = u8();
    if (v != version) {
      throw new InvalidInputException(
          Reason.UNSUPPORTED_VERSION, what + " has version " + v + ", expected " + version);
    }
  }

  Point point() {
    return Point.decode(bytes(Point.ENCODED_LENGTH));
  }

  Scalar scalar() {
    return Scalar.decode(bytes(Scalar.ENCODED_LENGTH));
  }

  /** Everything left; at least {@code min} bytes. */
  byte[] rest(int min) {
    if (remaining() < min) {
      throw new InvalidInputException(
          Reason.WRONG_LENGTH, what + " is too short: " + data.length + " bytes");
    }
    return bytes(remaining());
  }

  void end() {
    if (remaining() != 0) {
      throw new InvalidInputException(
          Reason.TRAILING_BYTES, what + " has " + remaining() + " trailing bytes");
    }
  }
}
