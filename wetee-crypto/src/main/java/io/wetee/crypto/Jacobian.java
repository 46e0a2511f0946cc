package io.wetee.crypto;

import java.math.BigInteger;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.custom.sec.SecP256K1Field;
import org.bouncycastle.math.raw.Nat256;

/**
 * A mutable secp256k1 point in Jacobian coordinates ({@code x = X/Z^2, y = Y/Z^3}) for the
 * multiplication loops of {@link Curve}, computed in place on BouncyCastle's secp256k1 field
 * arithmetic ({@code SecP256K1Field}: 8x32-bit limbs, elements fully reduced).
 *
 * <p>Design notes. BouncyCastle's {@code ECPoint} allocates new coordinate arrays and point objects
 * for every doubling and addition; in a scalar multiplication (about 200 such operations) that
 * overhead was more than half the CPU time. Here one object holds the accumulator and its scratch
 * space and nothing is allocated per operation. Formulas from the Explicit-Formulas Database
 * (Bernstein and Lange, hyperelliptic.org/EFD, "Jacobian coordinates with a4 = 0"): doubling
 * "dbl-2009-l" (2M + 5S) and mixed addition with an affine point "madd-2007-bl" (7M + 4S). Like
 * BouncyCastle's, they are not complete: the point at infinity and an addition of equal or opposite
 * points take separate branches (the result is always right). secp256k1 has no point of order 2, so
 * doubling a finite point never gives infinity. Affine points are {@code int[16]}: x in limbs 0..7,
 * y in 8..15, little-endian 32-bit limbs as {@code SecP256K1Field} uses them.
 */
final class Jacobian {
  /** Limbs of one coordinate. */
  static final int LIMBS = 8;

  /** Ints of one affine point in a table: x then y. */
  static final int AFFINE = 2 * LIMBS;

  private final int[] x = new int[LIMBS];
  private final int[] y = new int[LIMBS];
  private final int[] z = new int[LIMBS];
  private boolean infinity = true;

  private final int[] t0 = new int[LIMBS];
  private final int[] t1 = new int[LIMBS];
  private final int[] t2 = new int[LIMBS];
  private final int[] t3 = new int[LIMBS];
  private final int[] t4 = new int[LIMBS];
  private final int[] t5 = new int[LIMBS];
  private final int[] t6 = new int[LIMBS];
  private final int[] tt = new int[2 * LIMBS];

  /** The affine point that {@link #select} last wrote. */
  private final int[] selected = new int[AFFINE];

  /** Sets this point to the affine point at {@code offset} of {@code affine}. */
  void set(int[] affine, int offset) {
    System.arraycopy(affine, offset, x, 0, LIMBS);
    System.arraycopy(affine, offset + LIMBS, y, 0, LIMBS);
    Nat256.zero(z);
    z[0] = 1;
    infinity = false;
  }

  boolean isInfinity() {
    return infinity;
  }

  /** {@code this = 2*this} ("dbl-2009-l", a = 0). */
  void twice() {
    if (infinity) {
      return;
    }
    SecP256K1Field.square(x, t0, tt); // A = X^2
    SecP256K1Field.square(y, t1, tt); // B = Y^2
    SecP256K1Field.square(t1, t2, tt); // C = B^2
    SecP256K1Field.add(x, t1, t3);
    SecP256K1Field.square(t3, t3, tt);
    SecP256K1Field.subtract(t3, t0, t3);
    SecP256K1Field.subtract(t3, t2, t3);
    SecP256K1Field.twice(t3, t3); // D = 2*((X + B)^2 - A - C)
    SecP256K1Field.twice(t0, t4);
    SecP256K1Field.add(t4, t0, t4); // E = 3*A
    SecP256K1Field.square(t4, t5, tt); // F = E^2
    SecP256K1Field.multiply(y, z, z, tt);
    SecP256K1Field.twice(z, z); // Z3 = 2*Y*Z
    SecP256K1Field.twice(t3, t6);
    SecP256K1Field.subtract(t5, t6, x); // X3 = F - 2*D
    SecP256K1Field.subtract(t3, x, t3);
    SecP256K1Field.multiply(t4, t3, t3, tt);
    SecP256K1Field.twice(t2, t2);
    SecP256K1Field.twice(t2, t2);
    SecP256K1Field.twice(t2, t2);
    SecP256K1Field.subtract(t3, t2, y); // Y3 = E*(D - X3) - 8*C
  }

  /** {@code this = 2^n * this}. */
  void timesPow2(int n) {
    for (int i = 0; i < n; i++) {
      twice();
    }
  }

  /**
   * {@code this += Q} for the affine point Q at {@code offset} of {@code affine} ("madd-2007-bl").
   */
  void add(int[] affine, int offset) {
    if (infinity) {
      set(affine, offset);
      return;
    }
    SecP256K1Field.square(z, t0, tt); // Z1Z1
    System.arraycopy(affine, offset, t1, 0, LIMBS);
    SecP256K1Field.multiply(t1, t0, t1, tt); // U2 = X2*Z1Z1
    System.arraycopy(affine, offset + LIMBS, t2, 0, LIMBS);
    SecP256K1Field.multiply(t2, z, t2, tt);
    SecP256K1Field.multiply(t2, t0, t2, tt); // S2 = Y2*Z1*Z1Z1
    SecP256K1Field.subtract(t1, x, t1); // H = U2 - X1
    SecP256K1Field.subtract(t2, y, t2);
    SecP256K1Field.twice(t2, t2); // r = 2*(S2 - Y1)
    if (SecP256K1Field.isZero(t1) != 0) {
      if (SecP256K1Field.isZero(t2) != 0) {
        twice(); // Q equals this point
      } else {
        infinity = true; // Q is its opposite
      }
      return;
    }
    SecP256K1Field.square(t1, t3, tt); // HH = H^2
    SecP256K1Field.twice(t3, t4);
    SecP256K1Field.twice(t4, t4); // I = 4*HH
    SecP256K1Field.multiply(t1, t4, t5, tt); // J = H*I
    SecP256K1Field.multiply(x, t4, t6, tt); // V = X1*I
    SecP256K1Field.add(z, t1, z);
    SecP256K1Field.square(z, z, tt);
    SecP256K1Field.subtract(z, t0, z);
    SecP256K1Field.subtract(z, t3, z); // Z3 = (Z1 + H)^2 - Z1Z1 - HH
    SecP256K1Field.square(t2, x, tt);
    SecP256K1Field.subtract(x, t5, x);
    SecP256K1Field.twice(t6, t4);
    SecP256K1Field.subtract(x, t4, x); // X3 = r^2 - J - 2*V
    SecP256K1Field.subtract(t6, x, t6);
    SecP256K1Field.multiply(t2, t6, t6, tt);
    SecP256K1Field.multiply(y, t5, t5, tt);
    SecP256K1Field.twice(t5, t5);
    SecP256K1Field.subtract(t6, t5, y); // Y3 = r*(V - X3) - 2*Y1*J
  }

  /**
   * {@code this += table[index]} where {@code table} holds {@code count} affine points: every entry
   * is read and masked (a full scan), so the memory accesses do not depend on {@code index}.
   */
  void addSelected(int[] table, int count, int index) {
    select(table, count, index, selected);
    add(selected, 0);
  }

  /** Sets this point to {@code table[index]}, read by a full scan as in {@link #addSelected}. */
  void setSelected(int[] table, int count, int index) {
    select(table, count, index, selected);
    set(selected, 0);
  }

  /** Copies entry {@code index} of {@code count} affine points into {@code out} by a full scan. */
  static void select(int[] table, int count, int index, int[] out) {
    java.util.Arrays.fill(out, 0);
    for (int j = 0, pos = 0; j < count; j++, pos += AFFINE) {
      int mask = ((j ^ index) - 1) >> 31; // -1 when j == index, else 0
      for (int l = 0; l < AFFINE; l++) {
        out[l] |= table[pos + l] & mask;
      }
    }
  }

  /** This point as BouncyCastle's normalized point (one field inversion). */
  ECPoint toPoint() {
    if (infinity) {
      return Curve.CURVE.getInfinity();
    }
    int[] a = new int[AFFINE];
    normalizeInto(a, 0);
    return Curve.CURVE.createPoint(
        Nat256.toBigInteger(java.util.Arrays.copyOfRange(a, 0, LIMBS)),
        Nat256.toBigInteger(java.util.Arrays.copyOfRange(a, LIMBS, AFFINE)));
  }

  /** Writes the finite affine point {@code p} (normalized) at {@code offset} of {@code out}. */
  static void affine(ECPoint p, int[] out, int offset) {
    write(p.getAffineXCoord().toBigInteger(), out, offset);
    write(p.getAffineYCoord().toBigInteger(), out, offset + LIMBS);
  }

  private static void write(BigInteger v, int[] out, int offset) {
    System.arraycopy(SecP256K1Field.fromBigInteger(v), 0, out, offset, LIMBS);
  }

  /**
   * The odd multiples {@code P, 3P, .., (2m-1)P} of the affine point at {@code offset} of {@code
   * p}, and {@code 2P} after them, all affine: {@code m + 1} entries of {@link #AFFINE} ints. One
   * doubling, {@code m - 1} mixed additions and two field inversions (Montgomery's simultaneous
   * inversion for the m Jacobian results).
   */
  static int[] oddMultiples(int[] p, int offset, int m) {
    Jacobian acc = new Jacobian();
    acc.set(p, offset);
    acc.twice();
    int[] out = new int[(m + 1) * AFFINE];
    acc.normalizeInto(out, m * AFFINE); // 2P
    int[][] xs = new int[m][];
    int[][] ys = new int[m][];
    int[][] zs = new int[m][];
    acc.set(p, offset);
    for (int i = 0; i < m; i++) {
      if (i > 0) {
        acc.add(out, m * AFFINE);
      }
      xs[i] = acc.x.clone();
      ys[i] = acc.y.clone();
      zs[i] = acc.z.clone();
    }
    // Simultaneous inversion: prefix products, one inversion, then walk back.
    int[][] prefix = new int[m][];
    prefix[0] = zs[0].clone();
    int[] tt = new int[2 * LIMBS];
    for (int i = 1; i < m; i++) {
      prefix[i] = new int[LIMBS];
      SecP256K1Field.multiply(prefix[i - 1], zs[i], prefix[i], tt);
    }
    int[] inv = new int[LIMBS];
    SecP256K1Field.inv(prefix[m - 1], inv);
    int[] zInv = new int[LIMBS];
    for (int i = m - 1; i >= 0; i--) {
      if (i > 0) {
        SecP256K1Field.multiply(inv, prefix[i - 1], zInv, tt);
        SecP256K1Field.multiply(inv, zs[i], inv, tt);
      } else {
        System.arraycopy(inv, 0, zInv, 0, LIMBS);
      }
      toAffine(xs[i], ys[i], zInv, out, i * AFFINE, tt);
    }
    return out;
  }

  /** Writes {@code (x/z^2, y/z^3)} at {@code offset} of {@code out}, given {@code zInv = 1/z}. */
  private static void toAffine(int[] x, int[] y, int[] zInv, int[] out, int offset, int[] tt) {
    int[] zInv2 = new int[LIMBS];
    SecP256K1Field.square(zInv, zInv2, tt);
    int[] a = new int[LIMBS];
    SecP256K1Field.multiply(x, zInv2, a, tt);
    System.arraycopy(a, 0, out, offset, LIMBS);
    SecP256K1Field.multiply(zInv2, zInv, zInv2, tt);
    SecP256K1Field.multiply(y, zInv2, a, tt);
    System.arraycopy(a, 0, out, offset + LIMBS, LIMBS);
  }

  /** Writes this finite point, made affine, at {@code offset} of {@code out}. */
  void normalizeInto(int[] out, int offset) {
    int[] zInv = new int[LIMBS];
    SecP256K1Field.inv(z, zInv);
    toAffine(x, y, zInv, out, offset, tt);
  }

  /** Writes the negation of the affine point at {@code from} of {@code src} at {@code to}. */
  static void negate(int[] src, int from, int[] dst, int to) {
    System.arraycopy(src, from, dst, to, LIMBS);
    int[] yy = new int[LIMBS];
    System.arraycopy(src, from + LIMBS, yy, 0, LIMBS);
    SecP256K1Field.negate(yy, yy);
    System.arraycopy(yy, 0, dst, to + LIMBS, LIMBS);
  }

  /** Writes {@code (beta*x, y)}, the endomorphism's image of the affine point, at {@code to}. */
  static void endomorphism(int[] beta, int[] src, int from, int[] dst, int to) {
    int[] xx = new int[LIMBS];
    System.arraycopy(src, from, xx, 0, LIMBS);
    SecP256K1Field.multiply(xx, beta, xx);
    System.arraycopy(xx, 0, dst, to, LIMBS);
    System.arraycopy(src, from + LIMBS, dst, to + LIMBS, LIMBS);
  }
}
