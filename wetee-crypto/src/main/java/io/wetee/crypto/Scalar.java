package io.wetee.crypto;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * An integer modulo the secp256k1 group order n, always canonical ({@code 0 <= value < n}). Scalars
 * are often secret (keys, shares, nonces), so {@link #toString()} never shows the value. Arithmetic
 * uses {@link BigInteger} and is not constant-time. Immutable and thread-safe.
 *
 * @param value the canonical integer; the constructor rejects values outside [0, n) with {@link
 *     Reason#SCALAR_OUT_OF_RANGE}
 */
public record Scalar(BigInteger value) {
  /** The secp256k1 group order n. */
  public static final BigInteger ORDER = Curve.N;

  /** Length of {@link #encode()}: 32 bytes, big-endian. */
  public static final int ENCODED_LENGTH = 32;

  public static final Scalar ZERO = new Scalar(BigInteger.ZERO);
  public static final Scalar ONE = new Scalar(BigInteger.ONE);

  public Scalar {
    Objects.requireNonNull(value, "value");
    if (value.signum() < 0 || value.compareTo(ORDER) >= 0) {
      throw new InvalidInputException(Reason.SCALAR_OUT_OF_RANGE, "scalar is not below n");
    }
  }

  /** Reduces any integer, negative ones included, modulo n. */
  public static Scalar reduce(BigInteger value) {
    return new Scalar(value.mod(ORDER));
  }

  /** Reduces a long modulo n (negative values wrap). */
  public static Scalar of(long value) {
    return reduce(BigInteger.valueOf(value));
  }

  /**
   * Decodes 32 big-endian bytes, rejecting any value {@code >= n}: the encoding is canonical.
   *
   * @throws InvalidInputException with {@link Reason#WRONG_LENGTH} or {@link
   *     Reason#SCALAR_OUT_OF_RANGE}
   */
  public static Scalar decode(byte[] bytes) {
    if (bytes.length != ENCODED_LENGTH) {
      throw new InvalidInputException(
          Reason.WRONG_LENGTH, "scalar must be 32 bytes, got " + bytes.length);
    }
    return new Scalar(new BigInteger(1, bytes));
  }

  /** A uniformly random non-zero scalar (rejection sampling, no modular bias). */
  public static Scalar random(SecureRandom random) {
    byte[] buf = new byte[ENCODED_LENGTH];
    while (true) {
      random.nextBytes(buf);
      BigInteger v = new BigInteger(1, buf);
      if (v.signum() > 0 && v.compareTo(ORDER) < 0) {
        return new Scalar(v);
      }
    }
  }

  /** 32 big-endian bytes. */
  public byte[] encode() {
    return Bytes.unsigned(value, ENCODED_LENGTH);
  }

  public boolean isZero() {
    return value.signum() == 0;
  }

  public Scalar add(Scalar other) {
    return reduce(value.add(other.value));
  }

  public Scalar subtract(Scalar other) {
    return reduce(value.subtract(other.value));
  }

  public Scalar multiply(Scalar other) {
    return reduce(value.multiply(other.value));
  }

  public Scalar negate() {
    return reduce(value.negate());
  }

  /**
   * The multiplicative inverse modulo n.
   *
   * @throws InvalidInputException with {@link Reason#ZERO_SCALAR} for zero
   */
  public Scalar inverse() {
    if (isZero()) {
      throw new InvalidInputException(Reason.ZERO_SCALAR, "zero has no inverse");
    }
    return new Scalar(value.modInverse(ORDER));
  }

  /** Never shows the value: scalars are usually secret. */
  @Override
  public String toString() {
    return "Scalar[redacted]";
  }
}
