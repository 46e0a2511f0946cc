package io.wetee.crypto;

import io.wetee.crypto.DkgOutcome.Disqualification;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The public part of a DKG run's state: accepted deals' commitments, complaints and reveals.
 * Depends only on the messages and their order, so it is identical at every honest participant;
 * that is what makes QUAL agree (GJKR 2007, Fig. 2 steps 1-3).
 */
final class DkgBoard {
  private final DkgSession session;
  private final Map<Integer, List<Point>> commitments = new TreeMap<>();
  private final Map<Integer, Set<Integer>> complaints = new TreeMap<>();
  private final Map<Integer, Map<Integer, Scalar>> reveals = new HashMap<>();
  private final Map<Integer, Disqualification> invalidReveals = new TreeMap<>();

  DkgBoard(DkgSession session) {
    this.session = session;
  }

  List<Point> commitments(int dealer) {
    return commitments.get(dealer);
  }

  Set<Integer> complaintsAgainst(int dealer) {
    return complaints.getOrDefault(dealer, Set.of());
  }

  DkgReceipt acceptDeal(DkgMessage.Deal deal) {
    int dealer = deal.dealer();
    if (!session.dealers().contains(dealer)) {
      return DkgReceipt.rejected(Reason.UNKNOWN_PARTICIPANT, "not a dealer: " + dealer);
    }
    if (commitments.containsKey(dealer)) {
      return DkgReceipt.rejected(Reason.DUPLICATE, "second deal from " + dealer);
    }
    if (deal.commitments().size() != session.threshold()) {
      return DkgReceipt.rejected(
          Reason.MALFORMED_DEAL,
          deal.commitments().size() + " commitments, threshold " + session.threshold());
    }
    if (!deal.shares().keySet().equals(session.recipients().keySet())) {
      return DkgReceipt.rejected(Reason.MALFORMED_DEAL, "shares do not cover the recipients");
    }
    if (session.isReshare()
        && !deal.commitments()
            .get(0)
            .equals(session.previous().orElseThrow().verificationKeys().get(dealer))) {
      return DkgReceipt.rejected(
          Reason.RESHARE_CONSTANT_MISMATCH, "C_0 is not the old verification key of " + dealer);
    }
    commitments.put(dealer, deal.commitments());
    return DkgReceipt.ACCEPTED;
  }

  DkgReceipt acceptComplaint(DkgMessage.Complaint c) {
    if (!session.recipients().containsKey(c.accuser())) {
      return DkgReceipt.rejected(Reason.UNKNOWN_PARTICIPANT, "not a recipient: " + c.accuser());
    }
    if (!commitments.containsKey(c.accused())) {
      return DkgReceipt.rejected(Reason.UNSOLICITED, "no accepted deal from " + c.accused());
    }
    if (!complaints.computeIfAbsent(c.accused(), k -> new TreeSet<>()).add(c.accuser())) {
      return DkgReceipt.rejected(Reason.DUPLICATE, "complaint already recorded");
    }
    return DkgReceipt.ACCEPTED;
  }

  /** Records a reveal; a share that fails the commitments disqualifies the dealer. */
  DkgReceipt acceptReveal(DkgMessage.Reveal r) {
    if (!complaintsAgainst(r.dealer()).contains(r.accuser())) {
      return DkgReceipt.rejected(Reason.UNSOLICITED, "no complaint to answer");
    }
    Map<Integer, Scalar> byAccuser = reveals.computeIfAbsent(r.dealer(), k -> new HashMap<>());
    if (byAccuser.containsKey(r.accuser()) || invalidReveals.containsKey(r.dealer())) {
      return DkgReceipt.rejected(Reason.DUPLICATE, "already answered");
    }
    if (Feldman.verifyShare(r.accuser(), r.share(), commitments.get(r.dealer()))) {
      byAccuser.put(r.accuser(), r.share());
    } else {
      invalidReveals.put(r.dealer(), Disqualification.INVALID_REVEAL);
    }
    return DkgReceipt.ACCEPTED;
  }

  /** Whether this reveal was recorded as a valid share. */
  boolean isValidReveal(DkgMessage.Reveal r) {
    return r.share().equals(reveals.getOrDefault(r.dealer(), Map.of()).get(r.accuser()));
  }

  /** Every dealer of the session that is not in QUAL, with the first reason that applies. */
  Map<Integer, Disqualification> disqualifications() {
    Map<Integer, Disqualification> out = new TreeMap<>();
    for (int dealer : session.dealers()) {
      if (!commitments.containsKey(dealer)) {
        out.put(dealer, Disqualification.NO_DEAL);
      } else if (invalidReveals.containsKey(dealer)) {
        out.put(dealer, Disqualification.INVALID_REVEAL);
      } else if (complaintsAgainst(dealer).size() >= session.threshold()) {
        out.put(dealer, Disqualification.TOO_MANY_COMPLAINTS);
      } else if (!reveals
          .getOrDefault(dealer, Map.of())
          .keySet()
          .containsAll(complaintsAgainst(dealer))) {
        out.put(dealer, Disqualification.UNANSWERED_COMPLAINT);
      }
    }
    return out;
  }

  /** QUAL: dealers with accepted deals that are not disqualified, ascending. */
  List<Integer> qualified(Map<Integer, Disqualification> disqualified) {
    List<Integer> out = new ArrayList<>();
    for (int dealer : commitments.keySet()) {
      if (!disqualified.containsKey(dealer)) {
        out.add(dealer);
      }
    }
    return out;
  }
}
