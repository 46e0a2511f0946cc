package io.wetee.crypto;

import io.wetee.common.Hex;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Optional;
import org.bouncycastle.math.ec.ECPoint;

/**
 * A point of secp256k1 (possibly the point at infinity, which arithmetic can produce but no
 * encoding accepts). Encoded as 33-byte SEC 1 compressed form (SEC 1 v2 §2.3.3). Immutable,
 * thread-safe; equality is by group element.
 *
 * <p>Multiplication comes in two kinds: {@link #multiply} for public scalars (variable-time, fast)
 * and {@link #multiplySecret} / {@link #fromSecret} for secret scalars (fixed operation sequence;
 * see {@code Curve} for exactly what is and is not constant-time).
 */
public final class Point {
  /** Length of {@link #encode()}. */
  public static final int ENCODED_LENGTH = 33;

  private static final Point GENERATOR = new Point(Curve.G);
  private static final Point INFINITY = new Point(Curve.CURVE.getInfinity());

  private final ECPoint ec;

  /** Lazily computed table for secret multiplications of this point; see {@link #oddMultiples}. */
  @SuppressWarnings("Immutable") // a cache of data derived from ec, not state
  private volatile Curve.OddMultiples multiples;

  private Point(ECPoint ec) {
    this.ec = ec.normalize();
  }

  static Point of(ECPoint ec) {
    return new Point(ec);
  }

  ECPoint ec() {
    return ec;
  }

  /** The standard generator G. */
  public static Point generator() {
    return GENERATOR;
  }

  /** The neutral element. */
  public static Point infinity() {
    return INFINITY;
  }

  /** {@code k*G} for a secret k, by the fixed-point comb. */
  public static Point fromSecret(Scalar k) {
    return new Point(Curve.mulGenerator(k.value()));
  }

  /**
   * Decodes a 33-byte compressed point and validates it.
   *
   * @throws InvalidInputException with {@link Reason#WRONG_LENGTH}, {@link
   *     Reason#POINT_AT_INFINITY} (the SEC 1 infinity byte 0x00, or 33 zero bytes), {@link
   *     Reason#BAD_POINT_PREFIX}, {@link Reason#COORDINATE_OUT_OF_RANGE} or {@link
   *     Reason#NOT_ON_CURVE}
   */
  public static Point decode(byte[] bytes) {
    if (bytes.length == 1 && bytes[0] == 0) {
      throw new InvalidInputException(Reason.POINT_AT_INFINITY, "point at infinity");
    }
    if (bytes.length != ENCODED_LENGTH) {
      throw new InvalidInputException(
          Reason.WRONG_LENGTH, "compressed point must be 33 bytes, got " + bytes.length);
    }
    if (bytes[0] == 0 && Arrays.equals(bytes, new byte[ENCODED_LENGTH])) {
      throw new InvalidInputException(Reason.POINT_AT_INFINITY, "point at infinity");
    }
    if (bytes[0] != 2 && bytes[0] != 3) {
      throw new InvalidInputException(
          Reason.BAD_POINT_PREFIX, "compressed point prefix must be 02 or 03");
    }
    BigInteger x = new BigInteger(1, Arrays.copyOfRange(bytes, 1, ENCODED_LENGTH));
    if (x.compareTo(Curve.P) >= 0) {
      throw new InvalidInputException(Reason.COORDINATE_OUT_OF_RANGE, "x is not below p");
    }
    try {
      return new Point(Curve.CURVE.decodePoint(bytes));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(Reason.NOT_ON_CURVE, "no curve point has this x");
    }
  }

  /** The point with affine x = {@code x} and the given y parity, if one exists. */
  static Optional<Point> fromX(BigInteger x, boolean oddY) {
    byte[] enc = Bytes.concat(new byte[] {(byte) (oddY ? 3 : 2)}, Bytes.unsigned(x, 32));
    try {
      return Optional.of(decode(enc));
    } catch (InvalidInputException e) {
      return Optional.empty();
    }
  }

  /**
   * 33-byte compressed encoding.
   *
   * @throws CryptoException for the point at infinity, which has no encoding here
   */
  public byte[] encode() {
    requireFinite();
    return ec.getEncoded(true);
  }

  /** 65-byte uncompressed encoding {@code 04 | x | y}. */
  public byte[] encodeUncompressed() {
    requireFinite();
    return ec.getEncoded(false);
  }

  /** Affine x coordinate, 32 bytes big-endian. */
  public byte[] x() {
    requireFinite();
    return ec.getAffineXCoord().getEncoded();
  }

  public boolean isInfinity() {
    return ec.isInfinity();
  }

  public Point add(Point other) {
    return new Point(ec.add(other.ec));
  }

  public Point subtract(Point other) {
    return new Point(ec.subtract(other.ec));
  }

  public Point negate() {
    return new Point(ec.negate());
  }

  /** {@code k*this} for a public scalar: variable-time. */
  public Point multiply(Scalar k) {
    return new Point(ec.multiply(k.value()));
  }

  /**
   * {@code k*this} for a secret scalar: fixed-window multiplication (see {@code Curve}). The
   * point's table of odd multiples is kept with it, so a point multiplied again (a secret's C1 at
   * every release) skips the precomputation.
   */
  public Point multiplySecret(Scalar k) {
    if (ec.isInfinity()) {
      return this;
    }
    return new Point(Curve.mulSecret(oddMultiples(), k.value()));
  }

  /**
   * The precomputed odd multiples of this (finite) point, for several secret multiplications;
   * computed on first use and kept (about 4 KiB; public data, derived from the point alone).
   */
  private Curve.OddMultiples oddMultiples() {
    requireFinite();
    Curve.OddMultiples m = multiples;
    if (m == null) {
      m = Curve.OddMultiples.of(ec.normalize());
      multiples = m; // a race computes the same table twice, harmlessly
    }
    return m;
  }

  private void requireFinite() {
    if (ec.isInfinity()) {
      throw new CryptoException("the point at infinity has no encoding");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Point p && ec.equals(p.ec);
  }

  @Override
  public int hashCode() {
    return isInfinity() ? 0 : Arrays.hashCode(ec.getEncoded(true));
  }

  @Override
  public String toString() {
    return isInfinity() ? "Point[infinity]" : "Point[" + Hex.encode(encode()) + "]";
  }
}
