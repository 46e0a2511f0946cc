package io.wetee.crypto;

import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECLookupTable;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * secp256k1 parameters and the scalar multiplications used for secret scalars.
 *
 * <p>Design notes. Curve and field arithmetic come from BouncyCastle's custom secp256k1
 * implementation ({@code SecP256K1Curve}: 8x32-bit limbs, no {@code BigInteger}).
 *
 * <ul>
 *   <li>{@link #mulGenerator}: {@code k*G} with BouncyCastle's {@link FixedPointCombMultiplier}.
 *       Bits are gathered without branches, the precomputed table is read with a full scan ({@code
 *       ECLookupTable}), and every column costs one {@code twicePlus}: the operation sequence does
 *       not depend on {@code k}.
 *   <li>{@link #mulSecret}: {@code k*P} for an arbitrary point P, a fixed-window multiplication
 *       with the regular signed-digit recoding of Joye and Tunstall ("Exponent Recoding and Regular
 *       Exponentiation Algorithms", AFRICACRYPT 2009, Alg. 6, width w = 4) over the odd
 *       representative {@code k' = k} (k odd) or {@code k + n} (k even; n is odd), chosen with a
 *       mask, not a branch. Every digit is odd and non-zero: {@code k' = 16^64 + sum_{i<64} d_i
 *       16^i} with {@code d_i = 2*b_i - 15}, where {@code b_i} is bits {@code 4i+1 .. 4i+4} of k'
 *       (so the recoding is plain bit extraction). Table: {@code ±P, ±3P, ..., ±15P} in affine
 *       coordinates, read with BouncyCastle's full-scan {@code ECLookupTable}. Every call does
 *       exactly 256 doublings and 64 additions, with the same memory accesses, whatever k is.
 *   <li>{@link #ladder}: the previous Montgomery ladder (Montgomery 1987; Joye and Yen, CHES 2002),
 *       256 additions and 256 doublings; kept as the reference the tests compare against.
 * </ul>
 *
 * What is not constant-time: BouncyCastle's point formulas are not complete (they branch on the
 * point at infinity and on equal inputs). In {@link #mulSecret} the accumulator before adding digit
 * i is {@code 16*k_(i+1)*P} with {@code 16 <= 16*k_(i+1) < n} for every i >= 1, so neither case can
 * occur there; at the last digit it occurs only for k = 0 and about 30 scalars {@code k ≡ 2*d_0
 * (mod n)} with {@code |k| <= 30}, never for a random secret. Table construction depends on P only.
 * {@code BigInteger} conversions are variable-time (so is all {@link Scalar} arithmetic), and the
 * JVM gives no timing guarantee at all. Public-scalar multiplications (verification, Lagrange in
 * the exponent) use BouncyCastle's default variable-time GLV/wNAF.
 */
final class Curve {
  static final X9ECParameters PARAMS = CustomNamedCurves.getByName("secp256k1");
  static final ECCurve CURVE = PARAMS.getCurve();
  static final ECPoint G = PARAMS.getG().normalize();
  static final BigInteger N = PARAMS.getN();
  static final BigInteger HALF_N = N.shiftRight(1);
  static final BigInteger P = CURVE.getField().getCharacteristic();
  static final ECDomainParameters DOMAIN =
      new ECDomainParameters(CURVE, G, N, PARAMS.getH(), PARAMS.getSeed());

  private static final byte[] N_BYTES = Bytes.unsigned(N, 33);
  private static final FixedPointCombMultiplier COMB = new FixedPointCombMultiplier();
  private static final int LADDER_BITS = 257;

  private Curve() {}

  /** {@code k*G} with the fixed-point comb; k in [0, n). */
  static ECPoint mulGenerator(BigInteger k) {
    return COMB.multiply(G, k).normalize();
  }

  /** Window width of {@link #mulSecret}. */
  private static final int WINDOW = 4;

  /** Digits below the fixed top digit 1: 64 windows of 4 bits cover a 257-bit k'. */
  private static final int DIGITS = 64;

  /** Table index of +P (digit 1). */
  private static final int ONE_P = 1 << (WINDOW - 1);

  /** The signed odd multiples of P, {@code ±P .. ±15P}, for {@link #mulSecret}; P public. */
  static final class OddMultiples {
    private final ECLookupTable table;
    private final ECPoint point;

    private OddMultiples(ECPoint point, ECLookupTable table) {
      this.point = point;
      this.table = table;
    }

    /** Precomputes for P (not infinity): entry b is {@code (2b - 15)*P}, b in [0, 16). */
    static OddMultiples of(ECPoint p) {
      int half = ONE_P;
      ECPoint[] pts = new ECPoint[2 * half];
      ECPoint twice = p.twice();
      ECPoint acc = p;
      for (int i = 0; i < half; i++) {
        pts[half + i] = acc;
        if (i + 1 < half) {
          acc = acc.add(twice);
        }
      }
      CURVE.normalizeAll(pts, half, half, null);
      for (int i = 0; i < half; i++) {
        pts[half - 1 - i] = pts[half + i].negate();
      }
      return new OddMultiples(p, CURVE.createCacheSafeLookupTable(pts, 0, pts.length));
    }

    ECPoint point() {
      return point;
    }
  }

  /** {@code k*P} by the fixed-window regular recoding; k in [0, n), P any point. */
  static ECPoint mulSecret(ECPoint point, BigInteger k) {
    if (point.isInfinity()) {
      return point;
    }
    return mulSecret(OddMultiples.of(point.normalize()), k);
  }

  /** {@code k*P} with P's precomputed table; see the class notes. */
  static ECPoint mulSecret(OddMultiples p, BigInteger k) {
    byte[] kb = oddRepresentative(k);
    ECPoint acc = p.table.lookup(ONE_P); // the top digit is always 1
    for (int i = DIGITS - 1; i >= 0; i--) {
      acc = acc.timesPow2(WINDOW).add(p.table.lookup(window(kb, WINDOW * i + 1)));
    }
    Arrays.fill(kb, (byte) 0);
    return acc.normalize();
  }

  /** The 4 bits of the 33-byte big-endian {@code kb} starting at bit {@code from}. */
  private static int window(byte[] kb, int from) {
    int byteIndex = kb.length - 1 - (from >>> 3);
    int lo = kb[byteIndex] & 0xff;
    int hi = byteIndex > 0 ? kb[byteIndex - 1] & 0xff : 0; // byteIndex depends on i only
    return ((hi << 8 | lo) >>> (from & 7)) & ((1 << WINDOW) - 1);
  }

  /** 33 bytes big-endian of k (odd) or k + n (k even), by a masked addition. */
  static byte[] oddRepresentative(BigInteger k) {
    byte[] kb = Bytes.unsigned(k, 33);
    int mask = (kb[32] & 1) - 1; // 0 when k is odd, -1 when even
    int carry = 0;
    for (int i = 32; i >= 0; i--) {
      int sum = (kb[i] & 0xff) + (N_BYTES[i] & 0xff & mask) + carry;
      kb[i] = (byte) sum;
      carry = sum >>> 8;
    }
    return kb;
  }

  /** {@code k*P} with a fixed-length Montgomery ladder; k in [0, n), P any point. */
  static ECPoint ladder(ECPoint point, BigInteger k) {
    if (point.isInfinity()) {
      return point;
    }
    byte[] bits = fixedLengthRepresentative(k);
    ECPoint[] r = {point.normalize(), point.twice()};
    // Invariant: r[1] - r[0] = P. The top bit (256) is always set and consumed by the start.
    for (int i = LADDER_BITS - 2; i >= 0; i--) {
      int b = (bits[bits.length - 1 - (i >>> 3)] >>> (i & 7)) & 1;
      r[1 - b] = r[0].add(r[1]);
      r[b] = r[b].twice();
    }
    return r[0].normalize();
  }

  /** A 33-byte big-endian integer congruent to k mod n whose bit 256 is set. */
  private static byte[] fixedLengthRepresentative(BigInteger k) {
    BigInteger k1 = k.add(N);
    BigInteger k2 = k1.add(N);
    BigInteger chosen = k1.bitLength() == LADDER_BITS ? k1 : k2;
    return Bytes.unsigned(chosen, 33);
  }
}
