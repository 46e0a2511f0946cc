package io.wetee.crypto;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;

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
 *
 * <p>Batched form ({@link #proveBatch}, {@link #verifyBatch}): one proof that {@code X1 = x*G} and
 * {@code X2_s = x*H_s} for every s in 1..m, with the same x (one member's decryption shares for the
 * m secrets of one release). It is the batched DLEQ of Privacy Pass (Davidson, Goldberg, Sullivan,
 * Tankersley, Valsorda, PoPETs 2018, §3.2 and App. B) and of RFC 9497 §2.2.1 ("ComputeComposites"):
 * Fiat-Shamir-derived coefficients {@code rho_s} turn the m pairs into one pair {@code H = sum
 * rho_s H_s}, {@code X2 = sum rho_s X2_s}, and an ordinary Chaum-Pedersen proof for {@code (G, X1,
 * H, X2)} follows, with the whole statement in its challenge: {@code seed =
 * keccak256("wetee-dleq-batch-v1" | G | X1 | m (uint16) | H_1..H_m | X2_1..X2_m)}, {@code rho_s =
 * the first 16 bytes of keccak256(seed | s (uint16, 0-based))} as a 128-bit integer, {@code c =
 * keccak256("wetee-dleq-batch-v1" | seed | A1 | A2) mod n}. Soundness: if some {@code X2_s = x*H_s
 * + E_s} with {@code E_s != 0}, then {@code X2 = x*H + sum rho_s E_s}, and for the prover's fixed
 * points the rho_s come from the random oracle after the points are fixed; writing {@code E_s =
 * e_s*G}, {@code sum rho_s e_s = 0 mod n} holds for at most one value of any rho_s with {@code e_s
 * != 0} given the others, so each oracle query succeeds with probability at most 2^-128; otherwise
 * X2 is not x*H and the Chaum-Pedersen proof is sound as usual. Zero knowledge is that of the plain
 * proof (the rho_s are public). Verification is one two-scalar multiplication for A1 and one
 * 2m-point multi-scalar multiplication for {@code A2 = sum (z*rho_s)*H_s - sum (c*rho_s)*X2_s}.
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

  /** Domain tag of the batched proof. */
  static final byte[] BATCH_TAG = "wetee-dleq-batch-v1".getBytes(StandardCharsets.US_ASCII);

  /**
   * A batched proof that {@code x1 = x*G} and {@code values[s] = x*bases[s]} for every s; see the
   * class notes. The nonce is hedged as in {@link #prove}, with the batch seed as the statement.
   *
   * @throws InvalidInputException with {@link Reason#INVALID_ARGUMENT} for no bases, more than
   *     65535, or a different number of values
   */
  static DleqProof proveBatch(
      Scalar x, Point x1, List<Point> bases, List<Point> values, SecureRandom random) {
    Batch b = Batch.of(x1, bases, values);
    Scalar k = nonce(x, b.seed, random);
    Point a1 = Point.fromSecret(k);
    Point h = b.h(bases);
    Point a2 = h.isInfinity() ? h : h.multiplySecret(k);
    Scalar c = batchChallenge(b.seed, a1, a2);
    return new DleqProof(c, k.add(c.multiply(x)));
  }

  /** Whether {@code proof} is a batched proof for the statement; see the class notes. */
  static boolean verifyBatch(Point x1, List<Point> bases, List<Point> values, DleqProof proof) {
    if (x1.isInfinity()
        || bases.stream().anyMatch(Point::isInfinity)
        || values.stream().anyMatch(Point::isInfinity)) {
      return false;
    }
    Batch b = Batch.of(x1, bases, values);
    BigInteger c = proof.challenge().value();
    BigInteger z = proof.response().value();
    Point a1 = Point.of(ECAlgorithms.sumOfTwoMultiplies(Curve.G, z, x1.ec(), Curve.N.subtract(c)));
    int m = bases.size();
    ECPoint[] ps = new ECPoint[2 * m];
    BigInteger[] ks = new BigInteger[2 * m];
    for (int s = 0; s < m; s++) {
      ps[s] = bases.get(s).ec();
      ks[s] = z.multiply(b.rho[s]).mod(Curve.N);
      ps[m + s] = values.get(s).ec();
      ks[m + s] = Curve.N.subtract(c).multiply(b.rho[s]).mod(Curve.N);
    }
    Point a2 = Point.of(ECAlgorithms.sumOfMultiplies(ps, ks));
    if (a1.isInfinity() || a2.isInfinity()) {
      return false;
    }
    return batchChallenge(b.seed, a1, a2).equals(proof.challenge());
  }

  /** The derived statement of a batch: its seed and the coefficients rho_s. */
  private static final class Batch {
    final byte[] seed;
    final BigInteger[] rho;

    private Batch(byte[] seed, BigInteger[] rho) {
      this.seed = seed;
      this.rho = rho;
    }

    /** {@code H = sum rho_s H_s}, which only the prover needs (one multi-scalar multiplication). */
    Point h(List<Point> bases) {
      ECPoint[] ps = new ECPoint[bases.size()];
      for (int s = 0; s < ps.length; s++) {
        ps[s] = bases.get(s).ec();
      }
      return Point.of(
          ps.length == 1 ? ps[0].multiply(rho[0]) : ECAlgorithms.sumOfMultiplies(ps, rho));
    }

    static Batch of(Point x1, List<Point> bases, List<Point> values) {
      int m = bases.size();
      if (m == 0 || m != values.size() || m > 0xFFFF) {
        throw new InvalidInputException(
            Reason.INVALID_ARGUMENT,
            "a batched DLEQ needs 1 to 65535 bases and as many values, got "
                + m
                + " and "
                + values.size());
      }
      Bytes.Writer w = new Bytes.Writer().bytes(BATCH_TAG);
      w.bytes(Point.generator().encode()).bytes(x1.encode()).u16(m);
      for (Point p : bases) {
        w.bytes(p.encode());
      }
      for (Point p : values) {
        w.bytes(p.encode());
      }
      byte[] seed = Keccak.keccak256(w.toByteArray());
      BigInteger[] rho = new BigInteger[m];
      for (int s = 0; s < m; s++) {
        byte[] h = Keccak.keccak256(seed, Bytes.bigEndian(s, 2));
        rho[s] = new BigInteger(1, java.util.Arrays.copyOf(h, 16));
      }
      return new Batch(seed, rho);
    }
  }

  private static Scalar batchChallenge(byte[] seed, Point a1, Point a2) {
    byte[] h = Keccak.keccak256(BATCH_TAG, seed, a1.encode(), a2.encode());
    return Scalar.reduce(new BigInteger(1, h));
  }

  private static byte[] statement(Point g1, Point x1, Point g2, Point x2) {
    return Bytes.concat(g1.encode(), x1.encode(), g2.encode(), x2.encode());
  }

  private static Scalar challenge(byte[] statement, Point a1, Point a2) {
    byte[] h = Keccak.keccak256(TAG, statement, a1.encode(), a2.encode());
    return Scalar.reduce(new BigInteger(1, h));
  }
}
