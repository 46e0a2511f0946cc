package io.wetee.crypto;

import java.math.BigInteger;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * secp256k1 parameters and the two scalar multiplications used for secret scalars.
 *
 * <p>Design notes. Curve and field arithmetic come from BouncyCastle's custom secp256k1
 * implementation ({@code SecP256K1Curve}: 8x32-bit limbs, no {@code BigInteger}).
 *
 * <ul>
 *   <li>{@link #mulGenerator}: {@code k*G} with BouncyCastle's {@link FixedPointCombMultiplier}.
 *       Bits are gathered without branches, the precomputed table is read with a full scan ({@code
 *       ECLookupTable}), and every column costs one {@code twicePlus}: the operation sequence does
 *       not depend on {@code k}.
 *   <li>{@link #ladder}: {@code k*P} for an arbitrary point P, a Montgomery ladder (Montgomery
 *       1987; Joye and Yen, "The Montgomery Powering Ladder", CHES 2002) over a fixed 257-bit
 *       representative {@code k + n} or {@code k + 2n}, so every call does exactly 256 additions
 *       and 256 doublings whatever k is; the bit selects an array slot, never a branch.
 * </ul>
 *
 * What is not constant-time: BouncyCastle's point formulas are not complete (they branch on the
 * point at infinity and on equal inputs, which a ladder with {@code R1 - R0 = P} and a 257-bit
 * representative reaches only with negligible probability); choosing between {@code k + n} and
 * {@code k + 2n} branches on an event of probability about 2^-128; {@code BigInteger} conversions
 * are variable-time; and the JVM gives no timing guarantee at all. Public-scalar multiplications
 * (verification, Lagrange in the exponent) use BouncyCastle's default variable-time GLV/wNAF.
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

  private static final FixedPointCombMultiplier COMB = new FixedPointCombMultiplier();
  private static final int LADDER_BITS = 257;

  private Curve() {}

  /** {@code k*G} with the fixed-point comb; k in [0, n). */
  static ECPoint mulGenerator(BigInteger k) {
    return COMB.multiply(G, k).normalize();
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
