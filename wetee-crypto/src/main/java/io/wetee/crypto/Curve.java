package io.wetee.crypto;

import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECLookupTable;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.ECPointMap;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.math.ec.endo.GLVEndomorphism;

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
 *   <li>{@link #mulSecret}: {@code k*P} for an arbitrary point P, with the GLV endomorphism of
 *       secp256k1 (Gallant, Lambert, Vanstone, CRYPTO 2001: {@code lambda*P = (beta*x, y)}) and the
 *       regular signed-digit recoding of Joye and Tunstall ("Exponent Recoding and Regular
 *       Exponentiation Algorithms", AFRICACRYPT 2009, Alg. 6, width w = 4) on each half.
 *       BouncyCastle's {@code GLVTypeBEndomorphism.decomposeScalar} splits {@code k = a + b*lambda
 *       (mod n)} with {@code |a|, |b| < 2^129}. Each half v becomes the odd {@code u' = |v| + 1 +
 *       (|v| mod 2)} below 2^133, written {@code u' = 16^33 + sum_{i<33} d_i 16^i} with {@code d_i
 *       = 2*b_i - 15} ({@code b_i} = bits {@code 4i+1 .. 4i+4} of u', plain bit extraction); the
 *       sign of v is applied by reading table index {@code 15 - b} instead of b (an XOR with a
 *       mask). Tables: {@code ±P .. ±15P} and their images {@code ±phi(P) .. ±15 phi(P)}, affine,
 *       read with BouncyCastle's full-scan {@code ECLookupTable}. The loop does 33 times {@code acc
 *       = 16*acc + T[a_i] + T_phi[b_i]}; two last additions from the full-scan tables {@code [-Q,
 *       -2Q, Q, 2Q]} (Q = P, phi(P)) take off the {@code 1 + (|v| mod 2)} added to each half. Every
 *       call: 132 doublings and 68 additions, the same memory accesses, whatever k is (half the
 *       doublings of the plain window; about 200 against 280 µs of CPU time per call on the
 *       development machine).
 *   <li>{@link #mulWindow}: the plain fixed-window multiplication with the same recoding over the
 *       odd representative {@code k' = k} (k odd) or {@code k + n} (k even; chosen by a mask):
 *       {@code k' = 16^64 + sum_{i<64} d_i 16^i}, 256 doublings and 64 additions; the secret-scalar
 *       multiplication until 2026-11, kept as a reference for the tests.
 *   <li>{@link #ladder}: the previous Montgomery ladder (Montgomery 1987; Joye and Yen, CHES 2002),
 *       256 additions and 256 doublings; kept as the reference the tests compare against.
 * </ul>
 *
 * What is not constant-time: BouncyCastle's point formulas are not complete (they branch on the
 * point at infinity and on equal inputs; the result is always right). In {@link #mulWindow} the
 * accumulator before adding digit i is {@code 16*k_(i+1)*P} with {@code 16 <= 16*k_(i+1) < n} for
 * every i >= 1, so neither case can occur there; at the last digit it occurs only for k = 0 and
 * about 30 scalars {@code k ≡ 2*d_0 (mod n)}. In {@link #mulSecret} an addition meets equal or
 * opposite points only when a partial sum {@code a'*P + b'*phi(P)} equals a table entry, that is
 * for scalars with a small known relation to lambda (k = 0 among them; the tests try such scalars),
 * which a uniformly random secret hits with negligible probability. The GLV decomposition and the
 * halves' sign, parity and range are {@code BigInteger} arithmetic, variable-time like every {@code
 * BigInteger} conversion here (and all {@link Scalar} arithmetic); its range check never fails.
 * Table construction depends on P only. The JVM gives no timing guarantee at all. Public-scalar
 * multiplications (verification, Lagrange in the exponent) use BouncyCastle's default variable-time
 * GLV/wNAF.
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

  /** Digits of each GLV half below its top digit 1: 33 windows cover an odd half below 2^133. */
  private static final int GLV_DIGITS = 33;

  /** Bytes of a GLV half: 17 hold 133 bits and the window reads at most bit 132. */
  private static final int GLV_BYTES = 17;

  /** secp256k1's endomorphism: {@code lambda*P = (beta*x, y)}, and the scalar decomposition. */
  private static final GLVEndomorphism GLV = (GLVEndomorphism) CURVE.getEndomorphism();

  private static final ECPointMap PHI = GLV.getPointMap();

  /** Table index of +P (digit 1). */
  private static final int ONE_P = 1 << (WINDOW - 1);

  /**
   * The precomputation of a public point P for {@link #mulSecret}: the signed odd multiples {@code
   * ±P .. ±15P} and their images under the endomorphism {@code phi(x, y) = (beta*x, y) = lambda*P},
   * and the corrections {@code -P, -2P, P, 2P} and their images; all affine, in full-scan tables.
   */
  static final class OddMultiples {
    private final ECLookupTable table;
    private final ECLookupTable endoTable;
    private final ECLookupTable corrections;
    private final ECLookupTable endoCorrections;
    private final ECPoint point;

    private OddMultiples(ECPoint point, ECLookupTable[] tables) {
      this.point = point;
      this.table = tables[0];
      this.endoTable = tables[1];
      this.corrections = tables[2];
      this.endoCorrections = tables[3];
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
      ECPoint[] positive = Arrays.copyOf(Arrays.copyOfRange(pts, half, 2 * half), half + 1);
      positive[half] = twice;
      CURVE.normalizeAll(positive);
      for (int i = 0; i < half; i++) {
        pts[half + i] = positive[i];
        pts[half - 1 - i] = positive[i].negate();
      }
      ECPoint two = positive[half];
      ECPoint[] corr = {pts[half - 1], two.negate(), pts[half], two};
      ECPoint[] endo = new ECPoint[pts.length];
      for (int i = 0; i < pts.length; i++) {
        endo[i] = PHI.map(pts[i]); // scales x of an affine point: stays affine
      }
      ECPoint[] endoCorr = new ECPoint[corr.length];
      for (int i = 0; i < corr.length; i++) {
        endoCorr[i] = PHI.map(corr[i]);
      }
      return new OddMultiples(
          p,
          new ECLookupTable[] {
            CURVE.createCacheSafeLookupTable(pts, 0, pts.length),
            CURVE.createCacheSafeLookupTable(endo, 0, endo.length),
            CURVE.createCacheSafeLookupTable(corr, 0, corr.length),
            CURVE.createCacheSafeLookupTable(endoCorr, 0, endoCorr.length)
          });
    }

    ECPoint point() {
      return point;
    }
  }

  /** {@code k*P} for a secret k by GLV and the regular recoding; k in [0, n), P any point. */
  static ECPoint mulSecret(ECPoint point, BigInteger k) {
    if (point.isInfinity()) {
      return point;
    }
    return mulSecret(OddMultiples.of(point.normalize()), k);
  }

  /**
   * {@code k*P} with P's precomputed tables: {@code k = a + b*lambda (mod n)} by BouncyCastle's GLV
   * decomposition, then both halves at once by the regular recoding (see the class notes).
   */
  static ECPoint mulSecret(OddMultiples p, BigInteger k) {
    BigInteger[] ab = GLV.decomposeScalar(k);
    Half a = Half.of(ab[0]);
    Half b = Half.of(ab[1]);
    ECPoint acc = p.table.lookup(ONE_P ^ a.flip).add(p.endoTable.lookup(ONE_P ^ b.flip));
    for (int i = GLV_DIGITS - 1; i >= 0; i--) {
      acc =
          acc.timesPow2(WINDOW)
              .add(p.table.lookup(window(a.bytes, WINDOW * i + 1) ^ a.flip))
              .add(p.endoTable.lookup(window(b.bytes, WINDOW * i + 1) ^ b.flip));
    }
    acc = acc.add(p.corrections.lookup(a.correction)).add(p.endoCorrections.lookup(b.correction));
    Arrays.fill(a.bytes, (byte) 0);
    Arrays.fill(b.bytes, (byte) 0);
    return acc.normalize();
  }

  /**
   * One GLV half v as the recoding needs it: {@code u = |v|}, the odd {@code u' = u + 1 + (u mod
   * 2)} in {@link #GLV_BYTES} bytes, {@code flip = 15} when v is negative (the table index of
   * {@code -d} is {@code 15 - index(d)}), and the index of the correction {@code -(1 + (u mod
   * 2))*sign(v)*Q} in {@code [-Q, -2Q, Q, 2Q]}.
   */
  @SuppressWarnings("ArrayRecordComponent") // private, zeroed after use, never compared
  private record Half(byte[] bytes, int flip, int correction) {
    static Half of(BigInteger v) {
      int negative = v.signum() >>> 31;
      BigInteger u = v.abs();
      int odd = u.intValue() & 1;
      BigInteger adjusted = u.add(BigInteger.valueOf(1L + odd));
      if (adjusted.bitLength() > WINDOW * GLV_DIGITS + 1) {
        // BouncyCastle's decomposition gives |v| < 2^129 for secp256k1; never taken.
        throw new CryptoException("GLV half out of range");
      }
      return new Half(
          Bytes.unsigned(adjusted, GLV_BYTES), (ONE_P * 2 - 1) & -negative, 2 * negative + odd);
    }
  }

  /** {@code k*P} by the plain fixed-window regular recoding (before GLV); the tests' reference. */
  static ECPoint mulWindow(ECPoint point, BigInteger k) {
    if (point.isInfinity()) {
      return point;
    }
    return mulWindow(OddMultiples.of(point.normalize()), k);
  }

  /** {@code k*P} with P's precomputed table, 64 digits of 4 bits, no GLV. */
  static ECPoint mulWindow(OddMultiples p, BigInteger k) {
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
