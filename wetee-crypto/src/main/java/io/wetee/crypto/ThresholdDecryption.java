package io.wetee.crypto;

import java.security.SecureRandom;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * Threshold ElGamal decryption shares (Desmedt and Frankel, "Threshold cryptosystems", CRYPTO 1989;
 * Shoup and Gennaro, "Securing Threshold Cryptosystems against Chosen Ciphertext Attack", EUROCRYPT
 * 1998, for the share-correctness proofs).
 *
 * <p>Design notes. Member j returns {@code D_j = s_j*C1} and a Chaum-Pedersen proof ({@code Dleq})
 * that {@code log_G PK_j = log_C1 D_j}. Anyone verifies a share against the public {@code PK_j};
 * any q verified shares combine by Lagrange interpolation in the exponent to {@code Z = s*C1}.
 * {@code D_j} and the proof's {@code k*C1} are computed by the fixed-sequence window multiplication
 * (s_j and k are secret) over one precomputed table of C1's odd multiples.
 */
public final class ThresholdDecryption {
  private ThresholdDecryption() {}

  /** Computes member j's share for {@code c1} with its proof. */
  public static DecryptionShare share(KeyShare share, Point c1, SecureRandom random) {
    if (c1.isInfinity()) {
      throw new InvalidInputException(Reason.POINT_AT_INFINITY, "C1 is infinity");
    }
    Curve.OddMultiples c1Multiples = c1.oddMultiples(); // shared by D_j and the proof's k*C1
    Point d = Point.multiplySecret(c1Multiples, share.value());
    DleqProof proof =
        Dleq.proveWithGenerator(share.value(), share.verificationKey(), c1, c1Multiples, d, random);
    return new DecryptionShare(share.index(), d, proof);
  }

  /** Whether the share's proof verifies against member j's verification key {@code PK_j}. */
  public static boolean verify(DecryptionShare share, Point verificationKey, Point c1) {
    return Dleq.verify(Point.generator(), verificationKey, c1, share.value(), share.proof());
  }

  /**
   * Combines shares by Lagrange in the exponent over exactly their indices. Correct only for at
   * least {@code threshold} verified shares; with fewer the result is a wrong point.
   *
   * @throws InvalidInputException with {@link Reason#DUPLICATE} for a repeated index
   */
  public static Point combine(Collection<DecryptionShare> shares) {
    Map<Integer, Point> byIndex = new TreeMap<>();
    for (DecryptionShare s : shares) {
      if (byIndex.put(s.index(), s.value()) != null) {
        throw new InvalidInputException(Reason.DUPLICATE, "two shares for index " + s.index());
      }
    }
    return Lagrange.interpolateInExponent(byIndex);
  }
}
