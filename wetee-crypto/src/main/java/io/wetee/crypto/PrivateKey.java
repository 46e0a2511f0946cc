package io.wetee.crypto;

import java.security.SecureRandom;

/**
 * A secp256k1 private key (an Ethereum account key, an instance key, an encryption key). The public
 * key is computed once, by the fixed-point comb. {@link #toString()} shows only the address.
 * Immutable and thread-safe.
 */
public final class PrivateKey {
  private final Scalar secret;
  private final Point publicKey;
  private final Address address;

  private PrivateKey(Scalar secret) {
    if (secret.isZero()) {
      throw new InvalidInputException(Reason.ZERO_SCALAR, "private key is zero");
    }
    this.secret = secret;
    this.publicKey = Point.fromSecret(secret);
    this.address = Address.fromPublicKey(publicKey);
  }

  /** A fresh random key. */
  public static PrivateKey generate(SecureRandom random) {
    return new PrivateKey(Scalar.random(random));
  }

  /**
   * Wraps a scalar.
   *
   * @throws InvalidInputException with {@link Reason#ZERO_SCALAR} for zero
   */
  public static PrivateKey of(Scalar secret) {
    return new PrivateKey(secret);
  }

  /**
   * Decodes 32 big-endian bytes: canonical (below n) and non-zero.
   *
   * @throws InvalidInputException with {@link Reason#WRONG_LENGTH}, {@link
   *     Reason#SCALAR_OUT_OF_RANGE} or {@link Reason#ZERO_SCALAR}
   */
  public static PrivateKey decode(byte[] bytes) {
    return new PrivateKey(Scalar.decode(bytes));
  }

  /** Parses 64 hex digits with or without {@code 0x}; same checks as {@link #decode}. */
  public static PrivateKey fromHex(String hex) {
    return decode(HexText.decode(hex));
  }

  public Scalar secret() {
    return secret;
  }

  public Point publicKey() {
    return publicKey;
  }

  public Address address() {
    return address;
  }

  /** 32 big-endian bytes of the secret; handle with care. */
  public byte[] encode() {
    return secret.encode();
  }

  @Override
  public String toString() {
    return "PrivateKey[address=" + address + ", secret=redacted]";
  }
}
