package io.wetee.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The batched decryption shares of one member ({@code ThresholdDecryption.shareAll}, {@code
 * Dleq.proveBatch}) and the release of several secrets at once ({@code SecretEnvelope.openAll}).
 */
class BatchShareTest {
  static List<Point> randomPoints(int m, TestRandom random) {
    List<Point> out = new ArrayList<>();
    for (int i = 0; i < m; i++) {
      out.add(Point.fromSecret(Scalar.random(random)));
    }
    return out;
  }

  @Property(tries = 15)
  void aBatchVerifiesAndAnyOneWrongShareMakesItFail(
      @ForAll @IntRange(min = 1, max = 5) int m, @ForAll long seed) {
    TestRandom random = new TestRandom(seed);
    KeyShare share = new KeyShare(3, Scalar.random(random));
    Point pk = share.verificationKey();
    List<Point> c1s = randomPoints(m, random);
    List<DecryptionShare> batch = ThresholdDecryption.shareAll(share, c1s, random);
    assertThat(batch).hasSize(m);
    for (int s = 0; s < m; s++) {
      assertThat(batch.get(s).value()).isEqualTo(c1s.get(s).multiply(share.value()));
      assertThat(batch.get(s).index()).isEqualTo(3);
    }
    assertThat(ThresholdDecryption.verifyAll(batch, pk, c1s)).isTrue();
    // Round trip through the version-2 encoding.
    List<DecryptionShare> decoded =
        batch.stream().map(d -> DecryptionShare.decodeBatched(d.encodeBatched())).toList();
    assertThat(ThresholdDecryption.verifyAll(decoded, pk, c1s)).isTrue();
    for (int s = 0; s < m; s++) {
      List<DecryptionShare> wrong = new ArrayList<>(batch);
      DecryptionShare d = batch.get(s);
      wrong.set(s, new DecryptionShare(3, d.value().add(Point.generator()), d.proof()));
      assertThat(ThresholdDecryption.verifyAll(wrong, pk, c1s)).as("share %d altered", s).isFalse();
      List<Point> otherC1s = new ArrayList<>(c1s);
      otherC1s.set(s, c1s.get(s).add(Point.generator()));
      assertThat(ThresholdDecryption.verifyAll(batch, pk, otherC1s))
          .as("C1 %d altered", s)
          .isFalse();
    }
    assertThat(ThresholdDecryption.verifyAll(batch, pk.add(Point.generator()), c1s)).isFalse();
  }

  @Test
  void theProofCoversTheOrderTheIndexAndTheWholeBatch() {
    TestRandom random = new TestRandom(5);
    KeyShare share = new KeyShare(2, Scalar.random(random));
    Point pk = share.verificationKey();
    List<Point> c1s = randomPoints(3, random);
    List<DecryptionShare> batch = ThresholdDecryption.shareAll(share, c1s, random);
    List<DecryptionShare> swapped = new ArrayList<>(batch);
    Collections.swap(swapped, 0, 2);
    List<Point> swappedC1s = new ArrayList<>(c1s);
    Collections.swap(swappedC1s, 0, 2);
    assertThat(ThresholdDecryption.verifyAll(swapped, pk, c1s)).isFalse();
    // The same pairs in another order are another statement: the proof does not carry over.
    assertThat(ThresholdDecryption.verifyAll(swapped, pk, swappedC1s)).isFalse();
    // A prefix of the batch is another statement too.
    assertThat(ThresholdDecryption.verifyAll(batch.subList(0, 2), pk, c1s.subList(0, 2))).isFalse();
    assertThat(ThresholdDecryption.verifyAll(batch.subList(0, 2), pk, c1s)).isFalse();
    // One share with another index, or with another (valid) proof of the same member.
    List<DecryptionShare> otherIndex = new ArrayList<>(batch);
    DecryptionShare d = batch.get(1);
    otherIndex.set(1, new DecryptionShare(4, d.value(), d.proof()));
    assertThat(ThresholdDecryption.verifyAll(otherIndex, pk, c1s)).isFalse();
    List<DecryptionShare> again = ThresholdDecryption.shareAll(share, c1s, random);
    assertThat(ThresholdDecryption.verifyAll(again, pk, c1s)).isTrue();
    List<DecryptionShare> mixed = new ArrayList<>(batch);
    mixed.set(1, again.get(1));
    assertThat(ThresholdDecryption.verifyAll(mixed, pk, c1s)).isFalse();
    // A share by another key in an otherwise honest batch.
    KeyShare other = new KeyShare(2, share.value().add(Scalar.ONE));
    List<DecryptionShare> foreign = new ArrayList<>(batch);
    Point forged = c1s.get(0).multiply(other.value());
    foreign.set(0, new DecryptionShare(2, forged, batch.get(0).proof()));
    assertThat(ThresholdDecryption.verifyAll(foreign, pk, c1s)).isFalse();
    // A whole batch by the wrong key proves nothing about PK_j.
    assertThat(
            ThresholdDecryption.verifyAll(
                ThresholdDecryption.shareAll(other, c1s, random), pk, c1s))
        .isFalse();
    // A version-1 (single-share) decoder refuses a batched share, and the other way round.
    assertThatThrownBy(() -> DecryptionShare.decode(d.encodeBatched()))
        .isInstanceOf(InvalidInputException.class)
        .extracting(e -> ((InvalidInputException) e).reason())
        .isEqualTo(Reason.UNSUPPORTED_VERSION);
    assertThatThrownBy(() -> DecryptionShare.decodeBatched(d.encode()))
        .isInstanceOf(InvalidInputException.class);
    assertThat(ThresholdDecryption.verifyAll(List.of(), pk, List.of())).isFalse();
    assertThatThrownBy(() -> ThresholdDecryption.shareAll(share, List.of(), random))
        .isInstanceOf(InvalidInputException.class)
        .extracting(e -> ((InvalidInputException) e).reason())
        .isEqualTo(Reason.INVALID_ARGUMENT);
  }

  @Test
  void lagrangeAsOneMultiScalarMultiplicationEqualsTheNaiveSum() {
    TestRandom random = new TestRandom(8);
    for (int n = 1; n <= 7; n++) {
      Map<Integer, Point> points = new TreeMap<>();
      for (int i = 1; i <= n; i++) {
        points.put(i * 3, Point.fromSecret(Scalar.random(random)));
      }
      Map<Integer, Scalar> lambda = Lagrange.coefficientsAtZero(points.keySet());
      Point naive = Point.infinity();
      for (var e : points.entrySet()) {
        naive = naive.add(e.getValue().multiply(lambda.get(e.getKey())));
      }
      assertThat(Lagrange.interpolateInExponent(points)).isEqualTo(naive);
    }
    Map<Integer, Point> withInfinity = new TreeMap<>(Map.of(1, Point.infinity()));
    assertThat(Lagrange.interpolateInExponent(withInfinity)).isEqualTo(Point.infinity());
  }

  @Test
  void openAllReleasesEverySecretAndSkipsAMemberWithOneWrongShare() {
    TestRandom random = new TestRandom(17);
    Scalar secret = Scalar.random(random);
    FeldmanDealing dealing = Feldman.deal(secret, 3, ThresholdTest.indices(5), random);
    CommitteeKey committee = SecretEnvelopeTest.committeeOf(dealing, secret, 3);
    PrivateKey instance = PrivateKey.generate(random);
    List<SecretBinding> bindings = new ArrayList<>();
    List<SecretCiphertext> cts = new ArrayList<>();
    List<byte[]> values = new ArrayList<>();
    for (String name : List.of("a", "b", "c")) {
      SecretBinding b =
          new SecretBinding(
              SecretCipherTest.BINDING.chainId(),
              SecretCipherTest.BINDING.cloud(),
              SecretCipherTest.BINDING.owner(),
              name,
              1);
      byte[] v = ("value of " + name).getBytes(StandardCharsets.UTF_8);
      bindings.add(b);
      values.add(v);
      cts.add(SecretCipher.encrypt(committee.groupKey(), b, v, random));
    }
    List<List<EciesCiphertext>> answers = new ArrayList<>();
    // Member 1 cheats on secret "b" only: its other shares are right, the batch proof is not.
    answers.add(cheating(dealing.share(1), cts, bindings, instance.publicKey(), 1, random));
    for (int j = 2; j <= 5; j++) {
      answers.add(
          SecretEnvelope.respondAll(
              dealing.share(j), cts, bindings, Ecies.sender(instance.publicKey(), random), random));
    }
    // Member 2 answers two secrets only.
    answers.set(1, answers.get(1).subList(0, 2));
    List<OpenResult> results =
        SecretEnvelope.openAll(Ecies.opener(instance), committee, bindings, cts, answers);
    assertThat(results).hasSize(3);
    for (int s = 0; s < 3; s++) {
      assertThat(results.get(s)).isInstanceOf(OpenResult.Opened.class);
      OpenResult.Opened o = (OpenResult.Opened) results.get(s);
      assertThat(o.value()).isEqualTo(values.get(s));
      assertThat(o.usedIndices()).containsExactly(3, 4, 5);
      assertThat(o.rejections())
          .containsExactly(
              new OpenResult.ShareRejection(0, Reason.INVALID_PROOF),
              new OpenResult.ShareRejection(1, Reason.INVALID_ARGUMENT));
    }
    List<OpenResult> tooFew =
        SecretEnvelope.openAll(
            Ecies.opener(instance), committee, bindings, cts, answers.subList(0, 4));
    assertThat(tooFew)
        .allSatisfy(r -> assertThat(r).isInstanceOf(OpenResult.NotEnoughShares.class));
  }

  /** Member j's answer with a wrong share for secret {@code bad}, proven as a batch. */
  private static List<EciesCiphertext> cheating(
      KeyShare share,
      List<SecretCiphertext> cts,
      List<SecretBinding> bindings,
      Point to,
      int bad,
      TestRandom random) {
    List<Point> c1s = cts.stream().map(SecretCiphertext::c1).toList();
    List<Point> values = new ArrayList<>();
    for (int s = 0; s < c1s.size(); s++) {
      Point d = c1s.get(s).multiply(share.value());
      values.add(s == bad ? d.add(Point.generator()) : d);
    }
    DleqProof proof = Dleq.proveBatch(share.value(), share.verificationKey(), c1s, values, random);
    Ecies.Sender sender = Ecies.sender(to, random);
    List<EciesCiphertext> out = new ArrayList<>();
    for (int s = 0; s < c1s.size(); s++) {
      byte[] context =
          Bytes.concat(
              "wetee-release-v1".getBytes(StandardCharsets.US_ASCII),
              c1s.get(s).encode(),
              bindings.get(s).info());
      out.add(
          sender.seal(
              new DecryptionShare(share.index(), values.get(s), proof).encodeBatched(), context));
    }
    return out;
  }
}
