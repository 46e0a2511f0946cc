package io.wetee.crypto;

import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.math.ec.ECCurve;
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
 *   <li>{@link #mulGenerator}: {@code k*G} by fixed windows without doublings (the fixed-base
 *       method of Brickell, Gordon, McCurley and Wilson, EUROCRYPT 1992, with the signed odd digits
 *       below): the odd representative {@code k'} of k (k or k + n) is written {@code 16^64 +
 *       sum_{i<64} d_i 16^i}, {@code d_i = 2*b_i - 15} as for {@link #mulWindow}, and {@code
 *       d_i*16^i*G} is read from position i's precomputed table of 16 affine points with a full
 *       scan ({@code ECLookupTable}); 64 mixed additions and the fixed {@code 16^64*G}, the same
 *       sequence for every k. No addition meets equal or opposite points before the last two: the
 *       partial sum {@code sum_{l<i} d_l 16^l} is odd (so never 0) and smaller in size than {@code
 *       16^i}, and both are below n for i < 63; the last two meet them only for k = 0 and a few
 *       scalars near {@code 2^256} and {@code 2^257 mod n}, which the tests try. About half the CPU
 *       time of BouncyCastle's {@link FixedPointCombMultiplier} (43 {@code twicePlus} and 43 scans
 *       of 64 entries), which the tests keep as the reference.
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

  /**
   * {@code k*G}, k in [0, n), by the generator's fixed windows (see the class notes): {@code k' =
   * 16^64 + sum_{i<64} d_i 16^i} with odd digits {@code d_i} in [-15, 15], each {@code d_i*16^i*G}
   * read from its position's full-scan table, 64 mixed additions and no doubling.
   */
  static ECPoint mulGenerator(BigInteger k) {
    byte[] kb = oddRepresentative(k);
    int[][] tables = GeneratorWindows.TABLES;
    Jacobian acc = new Jacobian();
    acc.setSelected(tables[0], ENTRIES, window(kb, 1));
    for (int i = 1; i < DIGITS; i++) {
      acc.addSelected(tables[i], ENTRIES, window(kb, WINDOW * i + 1));
    }
    acc.add(GeneratorWindows.TOP, 0);
    Arrays.fill(kb, (byte) 0);
    return acc.toPoint();
  }

  /** {@code k*G} with BouncyCastle's fixed-point comb; the tests' reference for the generator. */
  static ECPoint mulGeneratorComb(BigInteger k) {
    return COMB.multiply(G, k).normalize();
  }

  /**
   * The generator's precomputation for {@link #mulGenerator}: for each position i in [0, 64) the
   * affine points {@code (2b - 15)*16^i*G}, b in [0, 16), in a full-scan table (64 KiB in all), and
   * {@code 16^64*G}. Built once, on first use (about a millisecond).
   */
  private static final class GeneratorWindows {
    static final int[][] TABLES = new int[DIGITS][];
    static final int[] TOP = new int[Jacobian.AFFINE];

    static {
      int a = Jacobian.AFFINE;
      int[] base = new int[a];
      Jacobian.affine(G, base, 0);
      Jacobian next = new Jacobian();
      for (int i = 0; i < DIGITS; i++) {
        int[] positive = Jacobian.oddMultiples(base, 0, ONE_P); // 16^i*G times 1, 3, .., 15; 2
        TABLES[i] = signedTable(positive);
        next.set(positive, ONE_P * a);
        next.timesPow2(WINDOW - 1); // 2 * 16^i * G * 8
        next.normalizeInto(base, 0);
      }
      System.arraycopy(base, 0, TOP, 0, a); // 16^64 * G
    }

    private GeneratorWindows() {}
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

  /** The endomorphism's {@code beta}: {@code phi(x, y) = (beta*x, y) = lambda*(x, y)}. */
  private static final int[] BETA =
      org.bouncycastle.math.ec.custom.sec.SecP256K1Field.fromBigInteger(
          PHI.map(G)
              .normalize()
              .getAffineXCoord()
              .toBigInteger()
              .multiply(G.getAffineXCoord().toBigInteger().modInverse(P))
              .mod(P));

  /** Entries of a signed-digit table: {@code (2b - 15)*P} for b in [0, 16). */
  private static final int ENTRIES = 2 * ONE_P;

  /**
   * The precomputation of a public point P for {@link #mulSecret}: the signed odd multiples {@code
   * ±P .. ±15P} and their images under the endomorphism {@code phi(x, y) = (beta*x, y) = lambda*P},
   * and the corrections {@code -P, -2P, P, 2P} and their images; all affine, as flat {@link
   * Jacobian} tables read by full scans.
   */
  static final class OddMultiples {
    private final int[] table;
    private final int[] endoTable;
    private final int[] corrections;
    private final int[] endoCorrections;
    private final ECPoint point;

    private OddMultiples(
        ECPoint point, int[] table, int[] endoTable, int[] corrections, int[] endoCorrections) {
      this.point = point;
      this.table = table;
      this.endoTable = endoTable;
      this.corrections = corrections;
      this.endoCorrections = endoCorrections;
    }

    /**
     * Precomputes for P (normalized, not infinity): entry b is {@code (2b - 15)*P}, b in [0, 16).
     */
    static OddMultiples of(ECPoint p) {
      int a = Jacobian.AFFINE;
      int[] one = new int[a];
      Jacobian.affine(p, one, 0);
      int[] positive = Jacobian.oddMultiples(one, 0, ONE_P); // P, 3P, .., 15P, then 2P
      int[] table = signedTable(positive);
      int[] corrections = new int[4 * a]; // -P, -2P, P, 2P
      Jacobian.negate(positive, 0, corrections, 0);
      Jacobian.negate(positive, ONE_P * a, corrections, a);
      System.arraycopy(positive, 0, corrections, 2 * a, a);
      System.arraycopy(positive, ONE_P * a, corrections, 3 * a, a);
      return new OddMultiples(p, table, endo(table), corrections, endo(corrections));
    }

    private static int[] endo(int[] points) {
      int[] out = new int[points.length];
      for (int off = 0; off < points.length; off += Jacobian.AFFINE) {
        Jacobian.endomorphism(BETA, points, off, out, off);
      }
      return out;
    }

    ECPoint point() {
      return point;
    }
  }

  /**
   * The signed-digit table {@code (2b - 15)*P}, b in [0, 16), from {@link Jacobian#oddMultiples}'s
   * {@code P, 3P, .., 15P}: entry {@code 8 + i} is {@code (2i + 1)*P}, entry {@code 7 - i} its
   * negation.
   */
  private static int[] signedTable(int[] positive) {
    int a = Jacobian.AFFINE;
    int[] table = new int[ENTRIES * a];
    for (int i = 0; i < ONE_P; i++) {
      System.arraycopy(positive, i * a, table, (ONE_P + i) * a, a);
      Jacobian.negate(positive, i * a, table, (ONE_P - 1 - i) * a);
    }
    return table;
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
    Jacobian acc = new Jacobian();
    acc.setSelected(p.table, ENTRIES, ONE_P ^ a.flip);
    acc.addSelected(p.endoTable, ENTRIES, ONE_P ^ b.flip);
    for (int i = GLV_DIGITS - 1; i >= 0; i--) {
      acc.timesPow2(WINDOW);
      acc.addSelected(p.table, ENTRIES, window(a.bytes, WINDOW * i + 1) ^ a.flip);
      acc.addSelected(p.endoTable, ENTRIES, window(b.bytes, WINDOW * i + 1) ^ b.flip);
    }
    acc.addSelected(p.corrections, 4, a.correction);
    acc.addSelected(p.endoCorrections, 4, b.correction);
    Arrays.fill(a.bytes, (byte) 0);
    Arrays.fill(b.bytes, (byte) 0);
    return acc.toPoint();
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
    Jacobian acc = new Jacobian();
    acc.setSelected(p.table, ENTRIES, ONE_P); // the top digit is always 1
    for (int i = DIGITS - 1; i >= 0; i--) {
      acc.timesPow2(WINDOW);
      acc.addSelected(p.table, ENTRIES, window(kb, WINDOW * i + 1));
    }
    Arrays.fill(kb, (byte) 0);
    return acc.toPoint();
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
