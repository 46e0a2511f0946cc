package io.wetee.crypto;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
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
 *
 * <p>{@link #shareAll} answers several ciphertexts at once with one batched proof ({@code Dleq},
 * Privacy Pass / RFC 9497 §2.2.1) that {@code log_G PK_j = log_{C1_s} D_{j,s}} for every s: one
 * nonce multiplication pair instead of one per share for the member, one verification per member
 * instead of one per share for the client. Combination uses one multi-scalar multiplication.
 */
public final class ThresholdDecryption {
  private ThresholdDecryption() {}

  /** Computes member j's share for {@code c1} with its proof. */
  public static DecryptionShare share(KeyShare share, Point c1, SecureRandom random) {
    if (c1.isInfinity()) {
      throw new InvalidInputException(Reason.POINT_AT_INFINITY, "C1 is infinity");
    }
    Point d = c1.multiplySecret(share.value()); // C1 keeps its table for the proof's k*C1
    DleqProof proof =
        Dleq.prove(share.value(), Point.generator(), share.verificationKey(), c1, d, random);
    return new DecryptionShare(share.index(), d, proof);
  }

  /**
   * Member j's shares for each of {@code c1s}, in order, all carrying one batched proof.
   *
   * @throws InvalidInputException with {@link Reason#POINT_AT_INFINITY} for an infinite C1 or
   *     {@link Reason#INVALID_ARGUMENT} for no C1 or more than 65535
   */
  public static List<DecryptionShare> shareAll(
      KeyShare share, List<Point> c1s, SecureRandom random) {
    return shareAll(share, share.verificationKey(), c1s, random);
  }

  /**
   * As {@link #shareAll(KeyShare, List, SecureRandom)} with the member's {@code PK_j = s_j*G} given
   * (from its committee key), which saves one multiplication. A key that is not {@code s_j*G} only
   * makes a proof that fails verification.
   */
  public static List<DecryptionShare> shareAll(
      KeyShare share, Point verificationKey, List<Point> c1s, SecureRandom random) {
    List<Point> values = new ArrayList<>(c1s.size());
    for (Point c1 : c1s) {
      if (c1.isInfinity()) {
        throw new InvalidInputException(Reason.POINT_AT_INFINITY, "C1 is infinity");
      }
      values.add(c1.multiplySecret(share.value()));
    }
    DleqProof proof = Dleq.proveBatch(share.value(), verificationKey, c1s, values, random);
    List<DecryptionShare> out = new ArrayList<>(values.size());
    for (Point d : values) {
      out.add(new DecryptionShare(share.index(), d, proof));
    }
    return out;
  }

  /**
   * Whether {@code shares} (one per C1 of {@code c1s}, in order) are one member's batch: the same
   * index and proof on each, and the batched proof verifies against {@code PK_j}.
   */
  public static boolean verifyAll(
      List<DecryptionShare> shares, Point verificationKey, List<Point> c1s) {
    if (shares.isEmpty() || shares.size() != c1s.size()) {
      return false;
    }
    DecryptionShare first = shares.get(0);
    List<Point> values = new ArrayList<>(shares.size());
    for (DecryptionShare d : shares) {
      if (d.index() != first.index() || !d.proof().equals(first.proof())) {
        return false;
      }
      values.add(d.value());
    }
    return Dleq.verifyBatch(verificationKey, c1s, values, first.proof());
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
