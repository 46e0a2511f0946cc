package io.wetee.crypto;

import static io.wetee.crypto.DkgHarness.completed;
import static org.assertj.core.api.Assertions.assertThat;

import io.wetee.crypto.DkgOutcome.Disqualification;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DkgTest {
  final TestRandom random = new TestRandom(31);
  final Bytes32 id =
      DkgSession.deriveId(java.math.BigInteger.valueOf(31337), Eip712Test.CONTRACT, 1);

  @ParameterizedTest
  @ValueSource(ints = {4, 7})
  void allHonestParticipantsCompleteWithOneKeyAndConsistentShares(int n) {
    int q = n * 2 / 3 + 1;
    Map<Integer, PrivateKey> keys = DkgHarness.encryptionKeys(n, random);
    DkgSession session = DkgSession.fresh(id, q, DkgHarness.publicKeys(keys));
    DkgHarness board = new DkgHarness();
    List<DkgOutcome> outcomes = board.run(DkgHarness.freshParticipants(session, keys, random));

    assertThat(board.receipts).containsOnly(DkgReceipt.ACCEPTED);
    DkgOutcome.Completed first = completed(outcomes.get(0));
    assertThat(first.qualified()).hasSize(n);
    assertThat(first.disqualified()).isEmpty();
    assertThat(first.key().threshold()).isEqualTo(q);
    assertThat(first.key().isConsistent()).isTrue();
    Map<Integer, Scalar> shares = new TreeMap<>();
    for (DkgOutcome o : outcomes) {
      DkgOutcome.Completed c = completed(o);
      assertThat(c.key()).isEqualTo(first.key());
      KeyShare s = c.share().orElseThrow();
      assertThat(s.verificationKey()).isEqualTo(first.key().verificationKeys().get(s.index()));
      shares.put(s.index(), s.value());
    }
    assertThat(Point.fromSecret(Lagrange.interpolateAtZero(shares)))
        .isEqualTo(first.key().groupKey());
    assertQuorumDecrypts(first.key(), outcomes, q);
  }

  @Property(tries = 6)
  void sharesOfAnyQuorumInterpolateToTheGroupSecretAndOneFewerDoNot(
      @ForAll @IntRange(min = 1, max = 6) int n, @ForAll long seed) {
    int q = n * 2 / 3 + 1;
    TestRandom r = new TestRandom(seed);
    Map<Integer, PrivateKey> keys = DkgHarness.encryptionKeys(n, r);
    DkgSession session = DkgSession.fresh(id, q, DkgHarness.publicKeys(keys));
    List<DkgOutcome> outcomes =
        new DkgHarness().run(DkgHarness.freshParticipants(session, keys, r));
    Map<Integer, Scalar> all = new TreeMap<>();
    outcomes.forEach(o -> completed(o).share().ifPresent(s -> all.put(s.index(), s.value())));
    Map<Integer, Scalar> quorum = new TreeMap<>();
    ThresholdTest.randomSubset(ThresholdTest.indices(n), q, seed)
        .forEach(i -> quorum.put(i, all.get(i)));
    Point pk = completed(outcomes.get(0)).key().groupKey();
    assertThat(Point.fromSecret(Lagrange.interpolateAtZero(quorum))).isEqualTo(pk);
    if (q > 1) {
      quorum.remove(quorum.keySet().iterator().next());
      assertThat(Point.fromSecret(Lagrange.interpolateAtZero(quorum))).isNotEqualTo(pk);
    }
  }

  @Test
  void dealerWithABadShareThatDoesNotRevealIsDisqualifiedAndTheRestComplete() {
    Map<Integer, PrivateKey> keys = DkgHarness.encryptionKeys(4, random);
    DkgSession session = DkgSession.fresh(id, 3, DkgHarness.publicKeys(keys));
    DkgHarness board = new DkgHarness();
    board.onDeal = d -> d.dealer() == 2 ? withWrongShareFor(session, d, 4) : d;
    board.onReveal = r -> r.dealer() == 2 ? Optional.empty() : Optional.of(r);
    List<DkgOutcome> outcomes = board.run(DkgHarness.freshParticipants(session, keys, random));

    for (DkgOutcome o : outcomes) {
      DkgOutcome.Completed c = completed(o);
      assertThat(c.qualified()).containsExactly(1, 3, 4);
      assertThat(c.disqualified())
          .containsExactly(Map.entry(2, Disqualification.UNANSWERED_COMPLAINT));
      assertThat(c.share()).isPresent();
    }
    assertQuorumDecrypts(completed(outcomes.get(0)).key(), outcomes, 3);
  }

  @Test
  void dealerThatRevealsAnInvalidShareIsDisqualified() {
    Map<Integer, PrivateKey> keys = DkgHarness.encryptionKeys(4, random);
    DkgSession session = DkgSession.fresh(id, 3, DkgHarness.publicKeys(keys));
    DkgHarness board = new DkgHarness();
    board.onDeal = d -> d.dealer() == 3 ? withWrongShareFor(session, d, 1) : d;
    board.onReveal =
        r ->
            Optional.of(
                r.dealer() == 3
                    ? new DkgMessage.Reveal(r.session(), 3, r.accuser(), r.share().add(Scalar.ONE))
                    : r);
    List<DkgOutcome> outcomes = board.run(DkgHarness.freshParticipants(session, keys, random));

    for (DkgOutcome o : outcomes) {
      assertThat(completed(o).disqualified())
          .containsExactly(Map.entry(3, Disqualification.INVALID_REVEAL));
      assertThat(completed(o).qualified()).containsExactly(1, 2, 4);
    }
    assertQuorumDecrypts(completed(outcomes.get(0)).key(), outcomes, 3);
  }

  @Test
  void dealerThatRevealsTheCorrectShareStaysAndTheComplainerUsesTheRevealedShare() {
    Map<Integer, PrivateKey> keys = DkgHarness.encryptionKeys(4, random);
    DkgSession session = DkgSession.fresh(id, 3, DkgHarness.publicKeys(keys));
    DkgHarness board = new DkgHarness();
    board.onDeal = d -> d.dealer() == 1 ? withWrongShareFor(session, d, 2) : d;
    List<DkgOutcome> outcomes = board.run(DkgHarness.freshParticipants(session, keys, random));

    for (DkgOutcome o : outcomes) {
      assertThat(completed(o).qualified()).containsExactly(1, 2, 3, 4);
      assertThat(completed(o).share()).isPresent();
    }
    assertQuorumDecrypts(completed(outcomes.get(0)).key(), outcomes, 3);
  }

  @Test
  void aFalseComplaintIsAnsweredByTheRevealAndCostsNobodyTheirPlace() {
    Map<Integer, PrivateKey> keys = DkgHarness.encryptionKeys(4, random);
    DkgSession session = DkgSession.fresh(id, 3, DkgHarness.publicKeys(keys));
    DkgHarness board = new DkgHarness();
    board.extraComplaints.add(new DkgMessage.Complaint(id, 4, 1));
    List<DkgOutcome> outcomes = board.run(DkgHarness.freshParticipants(session, keys, random));

    assertThat(board.receipts).containsOnly(DkgReceipt.ACCEPTED);
    for (DkgOutcome o : outcomes) {
      assertThat(completed(o).qualified()).containsExactly(1, 2, 3, 4);
      assertThat(completed(o).disqualified()).isEmpty();
    }
  }

  @Test
  void dealerAccusedByAThresholdOfRecipientsIsOutAndRevealsNothing() {
    Map<Integer, PrivateKey> keys = DkgHarness.encryptionKeys(4, random);
    DkgSession session = DkgSession.fresh(id, 3, DkgHarness.publicKeys(keys));
    DkgHarness board = new DkgHarness();
    for (int accuser : List.of(2, 3, 4)) {
      board.extraComplaints.add(new DkgMessage.Complaint(id, accuser, 1));
    }
    List<DkgMessage.Reveal> revealed = new ArrayList<>();
    board.onReveal =
        r -> {
          revealed.add(r);
          return Optional.of(r);
        };
    List<DkgOutcome> outcomes = board.run(DkgHarness.freshParticipants(session, keys, random));

    assertThat(revealed).isEmpty();
    assertThat(completed(outcomes.get(0)).disqualified())
        .containsExactly(Map.entry(1, Disqualification.TOO_MANY_COMPLAINTS));
    assertQuorumDecrypts(completed(outcomes.get(0)).key(), outcomes, 3);
  }

  @Test
  void absentDealersAreLeftOutAndTooFewDealersFailTheRun() {
    Map<Integer, PrivateKey> keys = DkgHarness.encryptionKeys(4, random);
    DkgSession session = DkgSession.fresh(id, 3, DkgHarness.publicKeys(keys));
    DkgHarness oneAbsent = new DkgHarness();
    oneAbsent.onDeal = d -> d.dealer() == 4 ? withSession(d, Bytes32.ZERO) : d;
    List<DkgOutcome> ok = oneAbsent.run(DkgHarness.freshParticipants(session, keys, random));
    assertThat(completed(ok.get(0)).disqualified())
        .containsExactly(Map.entry(4, Disqualification.NO_DEAL));

    DkgHarness twoAbsent = new DkgHarness();
    twoAbsent.onDeal = d -> d.dealer() >= 3 ? withSession(d, Bytes32.ZERO) : d;
    List<DkgOutcome> failed = twoAbsent.run(DkgHarness.freshParticipants(session, keys, random));
    assertThat(failed.get(0)).isInstanceOf(DkgOutcome.Failed.class);
    assertThat(((DkgOutcome.Failed) failed.get(0)).reason()).isEqualTo(Reason.NOT_ENOUGH_SHARES);
  }

  @Test
  void messagesOutOfPlaceAreRejectedWithoutEffect() {
    Map<Integer, PrivateKey> keys = DkgHarness.encryptionKeys(4, random);
    DkgSession session = DkgSession.fresh(id, 3, DkgHarness.publicKeys(keys));
    List<DkgParticipant> ps = DkgHarness.freshParticipants(session, keys, random);
    DkgParticipant p = ps.get(0);
    DkgMessage.Deal deal = ps.get(1).deal().orElseThrow();
    assertRejected(p.receive(withSession(deal, Bytes32.ZERO)), Reason.WRONG_SESSION);
    assertRejected(p.receive(new DkgMessage.Complaint(id, 1, 2)), Reason.WRONG_PHASE);
    assertThat(p.receive(deal)).isEqualTo(DkgReceipt.ACCEPTED);
    assertRejected(p.receive(deal), Reason.DUPLICATE);
    assertRejected(
        p.receive(new DkgMessage.Deal(id, 9, deal.commitments(), deal.shares())),
        Reason.UNKNOWN_PARTICIPANT);
    assertRejected(
        p.receive(new DkgMessage.Deal(id, 3, deal.commitments().subList(0, 2), deal.shares())),
        Reason.MALFORMED_DEAL);
    p.closeDeals();
    assertRejected(p.receive(new DkgMessage.Complaint(id, 1, 3)), Reason.UNSOLICITED);
    assertRejected(p.receive(new DkgMessage.Complaint(id, 9, 2)), Reason.UNKNOWN_PARTICIPANT);
    p.closeComplaints();
    assertRejected(p.receive(new DkgMessage.Reveal(id, 2, 1, Scalar.ONE)), Reason.UNSOLICITED);
  }

  static DkgMessage.Deal withWrongShareFor(DkgSession session, DkgMessage.Deal d, int victim) {
    Map<Integer, EciesCiphertext> shares = new TreeMap<>(d.shares());
    TestRandom r = new TestRandom(victim * 1000L + d.dealer());
    shares.put(
        victim,
        Ecies.encrypt(
            session.recipients().get(victim),
            Scalar.random(r).encode(),
            session.shareContext(d.dealer(), victim),
            r));
    return new DkgMessage.Deal(d.session(), d.dealer(), d.commitments(), shares);
  }

  static DkgMessage.Deal withSession(DkgMessage.Deal d, Bytes32 session) {
    return new DkgMessage.Deal(session, d.dealer(), d.commitments(), d.shares());
  }

  static void assertRejected(DkgReceipt receipt, Reason reason) {
    assertThat(receipt).isInstanceOf(DkgReceipt.Rejected.class);
    assertThat(((DkgReceipt.Rejected) receipt).reason()).isEqualTo(reason);
  }

  /** The first q members' shares open a secret encrypted to the group key. */
  static void assertQuorumDecrypts(CommitteeKey key, List<DkgOutcome> outcomes, int q) {
    TestRandom r = new TestRandom(99);
    byte[] value = "quorum".getBytes(StandardCharsets.UTF_8);
    SecretCiphertext ct = SecretCipher.encrypt(key.groupKey(), SecretCipherTest.BINDING, value, r);
    PrivateKey instance = PrivateKey.generate(r);
    List<EciesCiphertext> responses = new ArrayList<>();
    for (DkgOutcome o : outcomes) {
      completed(o)
          .share()
          .ifPresent(
              s ->
                  responses.add(
                      SecretEnvelope.respond(
                          s, ct, SecretCipherTest.BINDING, instance.publicKey(), r)));
    }
    OpenResult opened =
        SecretEnvelope.open(instance, key, SecretCipherTest.BINDING, ct, responses.subList(0, q));
    assertThat(opened).isInstanceOf(OpenResult.Opened.class);
    assertThat(((OpenResult.Opened) opened).value()).isEqualTo(value);
  }
}
