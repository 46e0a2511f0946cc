package io.wetee.crypto;

import static io.wetee.crypto.DkgHarness.completed;
import static org.assertj.core.api.Assertions.assertThat;

import io.wetee.crypto.DkgOutcome.Disqualification;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReshareTest {
  final TestRandom random = new TestRandom(41);
  final SecretBinding binding = SecretCipherTest.BINDING;

  /** A committee after a DKG: its public key and each member's share. */
  record Committee(CommitteeKey key, List<KeyShare> shares) {}

  Committee freshCommittee(int n) {
    Map<Integer, PrivateKey> keys = DkgHarness.encryptionKeys(n, random);
    Bytes32 id = Keccak.hash(("epoch-1-" + n).getBytes(StandardCharsets.UTF_8));
    DkgSession session = DkgSession.fresh(id, n * 2 / 3 + 1, DkgHarness.publicKeys(keys));
    List<DkgOutcome> outcomes =
        new DkgHarness().run(DkgHarness.freshParticipants(session, keys, random));
    return committeeOf(outcomes);
  }

  static Committee committeeOf(List<DkgOutcome> outcomes) {
    List<KeyShare> shares = new ArrayList<>();
    outcomes.forEach(o -> completed(o).share().ifPresent(shares::add));
    return new Committee(completed(outcomes.get(0)).key(), shares);
  }

  /** Reshares {@code old} to n new members; {@code dealers} are the old indices taking part. */
  List<DkgOutcome> reshare(Committee old, Set<Integer> dealers, int n, DkgHarness board) {
    Map<Integer, PrivateKey> keys = DkgHarness.encryptionKeys(n, random);
    Bytes32 id =
        Keccak.hash(("reshare-" + old.key().groupKey() + n).getBytes(StandardCharsets.UTF_8));
    DkgSession session =
        DkgSession.reshare(id, n * 2 / 3 + 1, DkgHarness.publicKeys(keys), old.key());
    List<DkgParticipant> ps = new ArrayList<>();
    // Old members with old index i also join the new committee at index i when i <= n.
    for (KeyShare s : old.shares()) {
      Optional<KeyShare> dealing = dealers.contains(s.index()) ? Optional.of(s) : Optional.empty();
      Optional<RecipientKey> me =
          s.index() <= n
              ? Optional.of(new RecipientKey(s.index(), keys.get(s.index())))
              : Optional.empty();
      ps.add(DkgParticipant.reshare(session, dealing, me, random));
    }
    for (int j = old.shares().size() + 1; j <= n; j++) {
      ps.add(
          DkgParticipant.reshare(
              session, Optional.empty(), Optional.of(new RecipientKey(j, keys.get(j))), random));
    }
    return board.run(ps);
  }

  static Set<Integer> all(Committee c) {
    return Set.copyOf(c.shares().stream().map(KeyShare::index).toList());
  }

  @Test
  void resharingToALargerCommitteeKeepsTheGroupKeyAndOldCiphertextsOpen() {
    Committee old = freshCommittee(4);
    byte[] value = "survives epochs".getBytes(StandardCharsets.UTF_8);
    SecretCiphertext ct = SecretCipher.encrypt(old.key().groupKey(), binding, value, random);

    List<DkgOutcome> outcomes = reshare(old, all(old), 7, new DkgHarness());
    Committee next = committeeOf(outcomes);
    assertThat(next.key().groupKey()).isEqualTo(old.key().groupKey());
    assertThat(next.key().threshold()).isEqualTo(5);
    assertThat(next.key().isConsistent()).isTrue();
    assertThat(next.shares()).hasSize(7);
    outcomes.forEach(o -> assertThat(completed(o).key()).isEqualTo(next.key()));
    assertOpens(next, ct, value, 5);
    assertDoesNotOpenWithOneFewer(next, ct, 5);
  }

  @Test
  void onlyTheOldThresholdOfDealersIsNeededAndTheNewCommitteeMayBeSmaller() {
    Committee seven =
        committeeOf(reshare(freshCommittee(4), Set.of(1, 2, 3, 4), 7, new DkgHarness()));
    byte[] value = "seven to four".getBytes(StandardCharsets.UTF_8);
    SecretCiphertext ct = SecretCipher.encrypt(seven.key().groupKey(), binding, value, random);

    List<DkgOutcome> outcomes = reshare(seven, Set.of(2, 3, 5, 6, 7), 4, new DkgHarness());
    DkgOutcome.Completed c = completed(outcomes.get(0));
    assertThat(c.qualified()).containsExactly(2, 3, 5, 6, 7);
    assertThat(c.disqualified())
        .containsExactly(
            Map.entry(1, Disqualification.NO_DEAL), Map.entry(4, Disqualification.NO_DEAL));
    Committee four = committeeOf(outcomes);
    assertThat(four.key().groupKey()).isEqualTo(seven.key().groupKey());
    assertThat(four.key().threshold()).isEqualTo(3);
    assertOpens(four, ct, value, 3);
  }

  @Test
  void aDealerThatDealsAnotherConstantIsRejectedAndResharingStillCompletes() {
    Committee old = freshCommittee(4);
    DkgHarness board = new DkgHarness();
    board.onDeal =
        d -> {
          if (d.dealer() != 2) {
            return d;
          }
          List<Point> forged = new ArrayList<>(d.commitments());
          forged.set(0, forged.get(0).add(Point.generator()));
          return new DkgMessage.Deal(d.session(), 2, forged, d.shares());
        };
    List<DkgOutcome> outcomes = reshare(old, all(old), 4, board);
    assertThat(board.receipts)
        .filteredOn(r -> r instanceof DkgReceipt.Rejected)
        .extracting(r -> ((DkgReceipt.Rejected) r).reason())
        .containsOnly(Reason.RESHARE_CONSTANT_MISMATCH);
    DkgOutcome.Completed c = completed(outcomes.get(0));
    assertThat(c.qualified()).containsExactly(1, 3, 4);
    assertThat(c.key().groupKey()).isEqualTo(old.key().groupKey());
  }

  @Test
  void fewerQualifiedDealersThanTheOldThresholdFailTheResharing() {
    Committee old = freshCommittee(4);
    List<DkgOutcome> outcomes = reshare(old, Set.of(1, 2), 4, new DkgHarness());
    assertThat(outcomes.get(0)).isInstanceOf(DkgOutcome.Failed.class);
    assertThat(((DkgOutcome.Failed) outcomes.get(0)).reason()).isEqualTo(Reason.NOT_ENOUGH_SHARES);
  }

  @Test
  void aBadResharingDealerIsDisqualifiedWithoutRevealingItsOldShare() {
    Committee old = freshCommittee(7);
    DkgHarness board = new DkgHarness();
    // Dealer 3 sends garbage to 5 new members (the new threshold): it is out, and reveals nothing.
    board.onDeal =
        d -> {
          if (d.dealer() != 3) {
            return d;
          }
          DkgMessage.Deal bad = d;
          for (int victim = 1; victim <= 5; victim++) {
            bad = DkgTest.withWrongShareFor(board.session.orElseThrow(), bad, victim);
          }
          return bad;
        };
    List<DkgMessage.Reveal> revealed = new ArrayList<>();
    board.onReveal =
        r -> {
          revealed.add(r);
          return Optional.of(r);
        };
    List<DkgOutcome> outcomes = reshare(old, all(old), 7, board);
    assertThat(revealed).isEmpty();
    DkgOutcome.Completed c = completed(outcomes.get(0));
    assertThat(c.disqualified())
        .containsExactly(Map.entry(3, Disqualification.TOO_MANY_COMPLAINTS));
    assertThat(c.key().groupKey()).isEqualTo(old.key().groupKey());
  }

  private void assertOpens(Committee c, SecretCiphertext ct, byte[] value, int q) {
    PrivateKey instance = PrivateKey.generate(random);
    List<EciesCiphertext> responses = new ArrayList<>();
    for (KeyShare s : c.shares().subList(c.shares().size() - q, c.shares().size())) {
      responses.add(SecretEnvelope.respond(s, ct, binding, instance.publicKey(), random));
    }
    OpenResult result = SecretEnvelope.open(instance, c.key(), binding, ct, responses);
    assertThat(result).isInstanceOf(OpenResult.Opened.class);
    assertThat(((OpenResult.Opened) result).value()).isEqualTo(value);
  }

  private void assertDoesNotOpenWithOneFewer(Committee c, SecretCiphertext ct, int q) {
    List<DecryptionShare> shares = new ArrayList<>();
    for (KeyShare s : c.shares().subList(0, q - 1)) {
      shares.add(ThresholdDecryption.share(s, ct.c1(), random));
    }
    EciesTest.assertAuthFails(
        () -> SecretCipher.decrypt(ThresholdDecryption.combine(shares), binding, ct));
  }
}
