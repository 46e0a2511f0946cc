package io.wetee.crypto;

import io.wetee.crypto.DkgOutcome.Disqualification;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Computes a {@link DkgOutcome} from the board (GJKR 2007 Fig. 2 step 4; for resharing, the
 * Lagrange-weighted combination described in {@link DkgParticipant}).
 */
final class DkgFinalizer {
  private DkgFinalizer() {}

  static DkgOutcome finish(
      DkgSession session,
      DkgBoard board,
      Optional<RecipientKey> me,
      Map<Integer, Scalar> myShares) {
    Map<Integer, Disqualification> disqualified = board.disqualifications();
    List<Integer> qual = board.qualified(disqualified);
    if (qual.size() < session.minimumQualified()) {
      String detail = qual.size() + " qualified, " + session.minimumQualified() + " needed";
      return new DkgOutcome.Failed(Reason.NOT_ENOUGH_SHARES, detail, disqualified);
    }
    Map<Integer, Scalar> weights = weights(session, qual);
    List<Point> aggregate = aggregate(board, qual, weights, session.threshold());
    Point groupKey = aggregate.get(0);
    if (session.previous().map(p -> !p.groupKey().equals(groupKey)).orElse(false)) {
      return new DkgOutcome.Failed(
          Reason.RESHARE_CONSTANT_MISMATCH,
          "qualified deals do not give the old key",
          disqualified);
    }
    CommitteeKey key =
        new CommitteeKey(groupKey, session.threshold(), verificationKeys(session, aggregate));
    Optional<KeyShare> share = me.flatMap(r -> combine(r.index(), qual, weights, myShares));
    share.ifPresent(s -> checkOwnShare(s, key));
    return new DkgOutcome.Completed(key, qual, disqualified, share);
  }

  /** {@code PK_j = Σ_k j^k A_k} for every new member j. */
  private static Map<Integer, Point> verificationKeys(DkgSession session, List<Point> aggregate) {
    Map<Integer, Point> out = new TreeMap<>();
    for (int j : session.recipients().keySet()) {
      out.put(j, Feldman.evaluateCommitments(j, aggregate));
    }
    return out;
  }

  /** Cannot fail for shares that passed the Feldman checks; a failure is a bug. */
  private static void checkOwnShare(KeyShare share, CommitteeKey key) {
    if (!key.verificationKey(share.index()).equals(Optional.of(share.verificationKey()))) {
      throw new CryptoException("own share does not match its verification key");
    }
  }

  /** 1 for every dealer of a fresh DKG; Lagrange coefficients over QUAL when resharing. */
  private static Map<Integer, Scalar> weights(DkgSession session, List<Integer> qual) {
    if (session.isReshare()) {
      return Lagrange.coefficientsAtZero(qual);
    }
    Map<Integer, Scalar> ones = new TreeMap<>();
    qual.forEach(i -> ones.put(i, Scalar.ONE));
    return ones;
  }

  /** {@code A_k = Σ_{i in QUAL} w_i C_ik}. */
  private static List<Point> aggregate(
      DkgBoard board, List<Integer> qual, Map<Integer, Scalar> weights, int threshold) {
    List<Point> out = new ArrayList<>(threshold);
    for (int k = 0; k < threshold; k++) {
      Point acc = Point.infinity();
      for (int i : qual) {
        Point c = board.commitments(i).get(k);
        Scalar w = weights.get(i);
        acc = acc.add(w.equals(Scalar.ONE) ? c : c.multiply(w));
      }
      out.add(acc);
    }
    return out;
  }

  /** {@code s_j = Σ_{i in QUAL} w_i f_i(j)}, if every qualified dealer's share is known. */
  private static Optional<KeyShare> combine(
      int index, List<Integer> qual, Map<Integer, Scalar> weights, Map<Integer, Scalar> shares) {
    Scalar acc = Scalar.ZERO;
    for (int i : qual) {
      Scalar s = shares.get(i);
      if (s == null) {
        return Optional.empty();
      }
      acc = acc.add(weights.get(i).multiply(s));
    }
    return Optional.of(new KeyShare(index, acc));
  }
}
