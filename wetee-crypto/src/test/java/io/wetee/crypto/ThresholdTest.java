package io.wetee.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ThresholdTest {
  static List<Integer> indices(int n) {
    return IntStream.rangeClosed(1, n).boxed().toList();
  }

  static List<Integer> randomSubset(List<Integer> all, int size, long seed) {
    List<Integer> copy = new ArrayList<>(all);
    Collections.shuffle(copy, new Random(seed));
    return copy.subList(0, size);
  }

  @Property(tries = 20)
  void anyThresholdOfSharesRecoversTheSecretAndOneFewerDoesNot(
      @ForAll @IntRange(min = 2, max = 10) int n, @ForAll long seed) {
    int q = n * 2 / 3 + 1;
    TestRandom random = new TestRandom(seed);
    Scalar secret = Scalar.random(random);
    FeldmanDealing dealing = Feldman.deal(secret, q, indices(n), random);
    List<Integer> subset = randomSubset(indices(n), q, seed);
    Map<Integer, Scalar> shares = new TreeMap<>();
    subset.forEach(i -> shares.put(i, dealing.shares().get(i)));
    assertThat(Lagrange.interpolateAtZero(shares)).isEqualTo(secret);
    Map<Integer, Point> images = new TreeMap<>();
    subset.forEach(i -> images.put(i, Point.fromSecret(dealing.shares().get(i))));
    assertThat(Lagrange.interpolateInExponent(images)).isEqualTo(Point.fromSecret(secret));
    shares.remove(subset.get(0));
    assertThat(Lagrange.interpolateAtZero(shares)).isNotEqualTo(secret);
  }

  @Test
  void feldmanSharesVerifyAgainstTheCommitmentsAndAlteredOnesDoNot() {
    TestRandom random = new TestRandom(11);
    FeldmanDealing dealing = Feldman.deal(Scalar.random(random), 3, indices(4), random);
    assertThat(dealing.commitments()).hasSize(3);
    for (int i = 1; i <= 4; i++) {
      Scalar s = dealing.shares().get(i);
      assertThat(Feldman.verifyShare(i, s, dealing.commitments())).isTrue();
      assertThat(Feldman.verifyShare(i, s.add(Scalar.ONE), dealing.commitments())).isFalse();
      assertThat(Feldman.verifyShare(i % 4 + 1, s, dealing.commitments())).isFalse();
    }
  }

  @Test
  void dealingRejectsThresholdsOutsideTheMemberCountAndBadIndices() {
    TestRandom random = new TestRandom(12);
    assertThatThrownBy(() -> Feldman.deal(Scalar.ONE, 5, indices(4), random))
        .isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> Feldman.deal(Scalar.ONE, 0, indices(4), random))
        .isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> Feldman.deal(Scalar.ONE, 1, List.of(0, 1), random))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.VALUE_OUT_OF_RANGE));
    assertThatThrownBy(() -> Lagrange.coefficientsAtZero(List.of(2, 2)))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.reason()).isEqualTo(Reason.DUPLICATE));
  }

  @Property(tries = 10)
  void thresholdDecryptionRecoversTheValueFromAnyQuorumButNotFromOneFewer(
      @ForAll @IntRange(min = 1, max = 7) int n, @ForAll long seed) {
    int q = n * 2 / 3 + 1;
    TestRandom random = new TestRandom(seed);
    Scalar secret = Scalar.random(random);
    FeldmanDealing dealing = Feldman.deal(secret, q, indices(n), random);
    Point pk = Point.fromSecret(secret);
    byte[] value = ("value-" + seed).getBytes(StandardCharsets.UTF_8);
    SecretCiphertext ct = SecretCipher.encrypt(pk, SecretCipherTest.BINDING, value, random);
    List<DecryptionShare> shares = new ArrayList<>();
    for (int i : randomSubset(indices(n), q, seed)) {
      DecryptionShare d = ThresholdDecryption.share(dealing.share(i), ct.c1(), random);
      assertThat(ThresholdDecryption.verify(d, dealing.share(i).verificationKey(), ct.c1()))
          .isTrue();
      shares.add(DecryptionShare.decode(d.encode()));
    }
    Point z = ThresholdDecryption.combine(shares);
    assertThat(SecretCipher.decrypt(z, SecretCipherTest.BINDING, ct)).isEqualTo(value);
    if (q > 1) {
      Point wrong = ThresholdDecryption.combine(shares.subList(1, shares.size()));
      EciesTest.assertAuthFails(() -> SecretCipher.decrypt(wrong, SecretCipherTest.BINDING, ct));
    }
  }

  @Test
  void aWrongDecryptionShareFailsItsProof() {
    TestRandom random = new TestRandom(13);
    KeyShare share = new KeyShare(2, Scalar.random(random));
    KeyShare other = new KeyShare(2, Scalar.random(random));
    Point c1 = Point.fromSecret(Scalar.random(random));
    DecryptionShare good = ThresholdDecryption.share(share, c1, random);
    Point pk = share.verificationKey();
    assertThat(ThresholdDecryption.verify(good, pk, c1)).isTrue();
    DecryptionShare shifted =
        new DecryptionShare(2, good.value().add(Point.generator()), good.proof());
    assertThat(ThresholdDecryption.verify(shifted, pk, c1)).isFalse();
    DecryptionShare byOtherKey = ThresholdDecryption.share(other, c1, random);
    assertThat(ThresholdDecryption.verify(byOtherKey, pk, c1)).isFalse();
    Point otherC1 = Point.fromSecret(Scalar.random(random));
    assertThat(ThresholdDecryption.verify(good, pk, otherC1)).isFalse();
    DleqProof bumped =
        new DleqProof(good.proof().challenge(), good.proof().response().add(Scalar.ONE));
    assertThat(ThresholdDecryption.verify(new DecryptionShare(2, good.value(), bumped), pk, c1))
        .isFalse();
  }

  @Test
  void decryptionShareEncodingIsStrict() {
    TestRandom random = new TestRandom(14);
    DecryptionShare d =
        ThresholdDecryption.share(
            new KeyShare(7, Scalar.random(random)), Point.fromSecret(Scalar.ONE), random);
    byte[] enc = d.encode();
    assertThat(enc).hasSize(DecryptionShare.ENCODED_LENGTH);
    assertThat(DecryptionShare.decode(enc)).isEqualTo(d);
    assertDecodeFails(java.util.Arrays.copyOf(enc, 101), Reason.TRAILING_BYTES);
    assertDecodeFails(java.util.Arrays.copyOf(enc, 99), Reason.WRONG_LENGTH);
    byte[] zeroIndex = enc.clone();
    zeroIndex[1] = 0;
    zeroIndex[2] = 0;
    assertDecodeFails(zeroIndex, Reason.VALUE_OUT_OF_RANGE);
    byte[] bigScalar = enc.clone();
    java.util.Arrays.fill(bigScalar, 36, 68, (byte) 0xFF);
    assertDecodeFails(bigScalar, Reason.SCALAR_OUT_OF_RANGE);
  }

  @Test
  void committeeKeyConsistencyDetectsAKeyOffThePolynomial() {
    TestRandom random = new TestRandom(15);
    Scalar secret = Scalar.random(random);
    FeldmanDealing dealing = Feldman.deal(secret, 3, indices(5), random);
    Map<Integer, Point> keys = new TreeMap<>();
    dealing.shares().forEach((i, s) -> keys.put(i, Point.fromSecret(s)));
    assertThat(new CommitteeKey(Point.fromSecret(secret), 3, keys).isConsistent()).isTrue();
    keys.put(5, keys.get(5).add(Point.generator()));
    assertThat(new CommitteeKey(Point.fromSecret(secret), 3, keys).isConsistent()).isFalse();
  }

  @Test
  void keySharesNeverPrintTheirValue() {
    KeyShare share = new KeyShare(1, Scalar.of(987654321));
    assertThat(share.toString()).doesNotContain("987654321").contains("redacted");
  }

  private static void assertDecodeFails(byte[] bytes, Reason reason) {
    assertThatThrownBy(() -> DecryptionShare.decode(bytes))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }
}
