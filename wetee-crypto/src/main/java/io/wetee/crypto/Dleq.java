package io.wetee.crypto;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.bouncycastle.math.ec.ECAlgorithms;

/**
 * Chaum-Pedersen proof of equality of discrete logarithms (D. Chaum, T. Pedersen, "Wallet Databases
 * with Observers", CRYPTO 1992, §3.2), non-interactive by Fiat-Shamir.
 *
 * <p>Design notes. Statement: {@code X1 = x*G1} and {@code X2 = x*G2}. Prover: nonce k, {@code A1 =
 * k*G1}, {@code A2 = k*G2}, {@code c = keccak256("wetee-dleq-v1" | G1 | X1 | G2 | X2 | A1 | A2) mod
 * n} (every point 33-byte compressed), {@code z = k + c*x mod n}. Verifier: {@code A1 = z*G1 -
 * c*X1}, {@code A2 = z*G2 - c*X2}, recompute c. Keccak keeps an on-chain verifier possible. The
 * nonce is hedged: {@code k = HKDF-SHA256(ikm = x | 32 fresh random bytes, salt = tag, info =
 * statement, 64 bytes) mod n}, so a broken RNG alone does not leak x. Mapping 64 bytes mod n has
 * bias below 2^-256; mapping c (256 bits) mod n has bias below 2^-127, negligible.
 */
final class Dleq {
  static final byte[] TAG = "wetee-dleq-v1".getBytes(StandardCharsets.US_ASCII);

  private Dleq() {}

  static DleqProof prove(Scalar x, Point g1, Point x1, Point g2, Point x2, SecureRandom random) {
    byte[] statement = statement(g1, x1, g2, x2);
    Scalar k = nonce(x, statement, random);
    Point a1 = g1.equals(Point.generator()) ? Point.fromSecret(k) : g1.multiplySecret(k);
    Point a2 = g2.multiplySecret(k);
    Scalar c = challenge(statement, a1, a2);
    return new DleqProof(c, k.add(c.multiply(x)));
  }

  /**
   * As {@link #prove} with {@code G1 = G}, reusing the caller's precomputed odd multiples of {@code
   * G2} for {@code A2 = k*G2}; same transcript, same proof distribution.
   */
  static DleqProof proveWithGenerator(
      Scalar x, Point x1, Point g2, Curve.OddMultiples g2Multiples, Point x2, SecureRandom random) {
    byte[] statement = statement(Point.generator(), x1, g2, x2);
    Scalar k = nonce(x, statement, random);
    Point a1 = Point.fromSecret(k);
    Point a2 = Point.multiplySecret(g2Multiples, k);
    Scalar c = challenge(statement, a1, a2);
    return new DleqProof(c, k.add(c.multiply(x)));
  }

  /** The hedged nonce of the design notes. */
  private static Scalar nonce(Scalar x, byte[] statement, SecureRandom random) {
    byte[] fresh = new byte[32];
    random.nextBytes(fresh);
    return Scalar.reduce(
        new BigInteger(1, Hkdf.sha256(Bytes.concat(x.encode(), fresh), TAG, statement, 64)));
  }

  static boolean verify(Point g1, Point x1, Point g2, Point x2, DleqProof proof) {
    if (g1.isInfinity() || x1.isInfinity() || g2.isInfinity() || x2.isInfinity()) {
      return false;
    }
    // Public scalars: z*G1 - c*X1 as one interleaved (Shamir/GLV) multi-scalar multiplication.
    BigInteger minusC = proof.challenge().negate().value();
    BigInteger z = proof.response().value();
    Point a1 = Point.of(ECAlgorithms.sumOfTwoMultiplies(g1.ec(), z, x1.ec(), minusC));
    Point a2 = Point.of(ECAlgorithms.sumOfTwoMultiplies(g2.ec(), z, x2.ec(), minusC));
    if (a1.isInfinity() || a2.isInfinity()) {
      return false;
    }
    return challenge(statement(g1, x1, g2, x2), a1, a2).equals(proof.challenge());
  }

  private static byte[] statement(Point g1, Point x1, Point g2, Point x2) {
    return Bytes.concat(g1.encode(), x1.encode(), g2.encode(), x2.encode());
  }

  private static Scalar challenge(byte[] statement, Point a1, Point a2) {
    byte[] h = Keccak.keccak256(TAG, statement, a1.encode(), a2.encode());
    return Scalar.reduce(new BigInteger(1, h));
  }
}
