package io.wetee.crypto;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A bulletin board for DKG tests: every message is encoded, decoded and delivered to every
 * participant in the same order; hooks let a test play a faulty dealer or a lying accuser.
 */
final class DkgHarness {
  UnaryOperator<DkgMessage.Deal> onDeal = d -> d;
  Function<DkgMessage.Reveal, Optional<DkgMessage.Reveal>> onReveal = Optional::of;
  List<DkgMessage.Complaint> extraComplaints = new ArrayList<>();
  final List<DkgReceipt> receipts = new ArrayList<>();
  Optional<DkgSession> session = Optional.empty();

  /** Encryption keys and recipient identities for members 1..n. */
  static Map<Integer, PrivateKey> encryptionKeys(int n, TestRandom random) {
    Map<Integer, PrivateKey> keys = new TreeMap<>();
    for (int j = 1; j <= n; j++) {
      keys.put(j, PrivateKey.generate(random));
    }
    return keys;
  }

  static Map<Integer, Point> publicKeys(Map<Integer, PrivateKey> keys) {
    Map<Integer, Point> out = new TreeMap<>();
    keys.forEach((j, k) -> out.put(j, k.publicKey()));
    return out;
  }

  static List<DkgParticipant> freshParticipants(
      DkgSession session, Map<Integer, PrivateKey> keys, TestRandom random) {
    List<DkgParticipant> out = new ArrayList<>();
    keys.forEach((j, k) -> out.add(DkgParticipant.fresh(session, new RecipientKey(j, k), random)));
    return out;
  }

  List<DkgOutcome> run(List<DkgParticipant> participants) {
    session = Optional.of(participants.get(0).session());
    for (DkgParticipant p : participants) {
      p.deal().map(onDeal).ifPresent(d -> broadcast(participants, d));
    }
    List<DkgMessage> complaints = new ArrayList<>();
    participants.forEach(p -> complaints.addAll(p.closeDeals()));
    complaints.addAll(extraComplaints);
    complaints.forEach(c -> broadcast(participants, c));
    List<DkgMessage.Reveal> reveals = new ArrayList<>();
    participants.forEach(p -> reveals.addAll(p.closeComplaints()));
    reveals.forEach(r -> onReveal.apply(r).ifPresent(x -> broadcast(participants, x)));
    return participants.stream().map(DkgParticipant::finish).toList();
  }

  void broadcast(List<DkgParticipant> participants, DkgMessage message) {
    DkgMessage wire = DkgMessage.decode(message.encode());
    for (DkgParticipant p : participants) {
      receipts.add(p.receive(wire));
    }
  }

  static DkgOutcome.Completed completed(DkgOutcome outcome) {
    if (outcome instanceof DkgOutcome.Completed c) {
      return c;
    }
    throw new AssertionError("DKG did not complete: " + outcome);
  }
}
