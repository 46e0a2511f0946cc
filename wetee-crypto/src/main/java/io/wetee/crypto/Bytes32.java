package io.wetee.crypto;

import io.wetee.common.Hex;
import java.util.Arrays;

/**
 * Exactly 32 bytes: a hash, a Merkle root, a nonce, an EIP-712 {@code bytes32}. Immutable (copies
 * in and out), equality by content.
 */
public final class Bytes32 {
  public static final int LENGTH = 32;
  public static final Bytes32 ZERO = new Bytes32(new byte[LENGTH]);

  private final byte[] bytes;

  private Bytes32(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * Copies 32 bytes.
   *
   * @throws InvalidInputException with {@link Reason#WRONG_LENGTH} for any other length
   */
  public static Bytes32 of(byte[] bytes) {
    if (bytes.length != LENGTH) {
      throw new InvalidInputException(
          Reason.WRONG_LENGTH, "bytes32 must be 32 bytes, got " + bytes.length);
    }
    return new Bytes32(bytes.clone());
  }

  /**
   * Parses 64 hex digits, with or without {@code 0x}.
   *
   * @throws InvalidInputException with {@link Reason#BAD_TEXT_ENCODING} or {@link
   *     Reason#WRONG_LENGTH}
   */
  public static Bytes32 fromHex(String hex) {
    return of(HexText.decode(hex));
  }

  /** A copy of the 32 bytes. */
  public byte[] toBytes() {
    return bytes.clone();
  }

  /** {@code 0x}-prefixed lower-case hex. */
  public String toHex() {
    return Hex.encode0x(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bytes32 b && Arrays.equals(bytes, b.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return toHex();
  }
}
