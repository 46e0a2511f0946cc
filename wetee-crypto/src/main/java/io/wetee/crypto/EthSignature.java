package io.wetee.crypto;

import io.wetee.common.Hex;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Objects;

/**
 * A recoverable Ethereum ECDSA signature in the form {@code ecrecover} and OpenZeppelin's {@code
 * ECDSA.recover} accept: {@code 1 <= r < n}, {@code 1 <= s <= n/2} (low-s, EIP-2) and {@code v} in
 * {27, 28}. Encoded as 65 bytes {@code r (32) | s (32) | v (1)}.
 *
 * @param r x coordinate of the nonce point, reduced mod n
 * @param s the low-s proof value
 * @param v 27 for an even y of the nonce point, 28 for odd
 */
public record EthSignature(BigInteger r, BigInteger s, int v) {
  /** Length of {@link #encode()}. */
  public static final int ENCODED_LENGTH = 65;

  public EthSignature {
    Objects.requireNonNull(r, "r");
    Objects.requireNonNull(s, "s");
    if (r.signum() <= 0 || r.compareTo(Curve.N) >= 0 || s.signum() <= 0) {
      throw new InvalidInputException(Reason.SIGNATURE_OUT_OF_RANGE, "r or s outside [1, n)");
    }
    if (s.compareTo(Curve.HALF_N) > 0) {
      throw new InvalidInputException(Reason.HIGH_S, "s is above n/2");
    }
    if (v != 27 && v != 28) {
      throw new InvalidInputException(Reason.BAD_RECOVERY_ID, "v must be 27 or 28, got " + v);
    }
  }

  /**
   * Decodes {@code r | s | v}, 65 bytes, with the checks of the constructor.
   *
   * @throws InvalidInputException with {@link Reason#WRONG_LENGTH}, {@link
   *     Reason#SIGNATURE_OUT_OF_RANGE}, {@link Reason#HIGH_S} or {@link Reason#BAD_RECOVERY_ID}
   */
  public static EthSignature decode(byte[] bytes) {
    if (bytes.length != ENCODED_LENGTH) {
      throw new InvalidInputException(
          Reason.WRONG_LENGTH, "signature must be 65 bytes, got " + bytes.length);
    }
    return new EthSignature(
        new BigInteger(1, Arrays.copyOfRange(bytes, 0, 32)),
        new BigInteger(1, Arrays.copyOfRange(bytes, 32, 64)),
        bytes[64] & 0xFF);
  }

  /** Parses {@code 0x}-prefixed (or bare) hex of the 65-byte form. */
  public static EthSignature fromHex(String hex) {
    return decode(HexText.decode(hex));
  }

  /** 65 bytes {@code r | s | v}. */
  public byte[] encode() {
    return Bytes.concat(Bytes.unsigned(r, 32), Bytes.unsigned(s, 32), new byte[] {(byte) v});
  }

  /** {@code 0x}-prefixed hex of {@link #encode()}. */
  public String toHex() {
    return Hex.encode0x(encode());
  }

  /** Recovery id: 0 for even y, 1 for odd. */
  public int recoveryId() {
    return v - 27;
  }

  @Override
  public String toString() {
    return "EthSignature[" + toHex() + "]";
  }
}
