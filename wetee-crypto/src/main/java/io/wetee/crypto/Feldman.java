package io.wetee.crypto;

import java.security.SecureRandom;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Feldman verifiable secret sharing (P. Feldman, "A Practical Scheme for Non-interactive Verifiable
 * Secret Sharing", FOCS 1987) on secp256k1.
 *
 * <p>Design notes. The dealer picks {@code f} of degree {@code t - 1} with {@code f(0) = secret},
 * publishes {@code C_k = a_k*G} and gives participant i the share {@code f(i)}. Anyone checks a
 * share by {@code f(i)*G == Σ_k i^k C_k}. "Threshold" in this module always means the number of
 * shares needed to reconstruct (t = q), so the polynomial has degree t - 1 and there are t
 * commitments. The commitments reveal {@code secret*G}, which is intended (it is the public key).
 */
public final class Feldman {
  private Feldman() {}

  /**
   * Shares {@code secret} among the given participant indices.
   *
   * @throws CryptoException if threshold is not in [1, number of indices]
   * @throws InvalidInputException for an index outside [1, 65535] or a duplicate index
   */
  public static FeldmanDealing deal(
      Scalar secret, int threshold, Collection<Integer> indices, SecureRandom random) {
    Lagrange.coefficientsAtZero(indices); // validates range and uniqueness
    if (threshold < 1 || threshold > indices.size()) {
      throw new CryptoException("threshold " + threshold + " not in [1, " + indices.size() + "]");
    }
    Polynomial f = Polynomial.random(secret, threshold, random);
    Map<Integer, Scalar> shares = new TreeMap<>();
    for (int i : indices) {
      shares.put(i, f.evaluate(i));
    }
    return new FeldmanDealing(f.commitments(), shares);
  }

  /** Whether {@code share*G == Σ_k index^k C_k}. */
  public static boolean verifyShare(int index, Scalar share, List<Point> commitments) {
    return Point.fromSecret(share).equals(evaluateCommitments(index, commitments));
  }

  /**
   * {@code Σ_k index^k C_k}: the public image {@code f(index)*G} of a share, i.e. the share's
   * verification key. Horner's rule with public scalars.
   */
  public static Point evaluateCommitments(int index, List<Point> commitments) {
    Lagrange.requireIndex(index);
    Scalar x = Scalar.of(index);
    Point acc = Point.infinity();
    for (int k = commitments.size() - 1; k >= 0; k--) {
      acc = acc.multiply(x).add(commitments.get(k));
    }
    return acc;
  }
}
