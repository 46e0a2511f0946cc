package io.wetee.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SecretEnvelopeTest {
  final TestRandom random = new TestRandom(21);
  final Scalar secret = Scalar.random(random);
  final FeldmanDealing dealing = Feldman.deal(secret, 3, ThresholdTest.indices(4), random);
  final CommitteeKey committee = committeeOf(dealing, secret, 3);
  final PrivateKey instance = PrivateKey.generate(random);
  final SecretBinding binding = SecretCipherTest.BINDING;
  final byte[] value = "db-password".getBytes(StandardCharsets.UTF_8);
  final SecretCiphertext ct = SecretCipher.encrypt(committee.groupKey(), binding, value, random);

  static CommitteeKey committeeOf(FeldmanDealing dealing, Scalar secret, int q) {
    Map<Integer, Point> keys = new TreeMap<>();
    dealing.shares().forEach((i, s) -> keys.put(i, Point.fromSecret(s)));
    return new CommitteeKey(Point.fromSecret(secret), q, keys);
  }

  EciesCiphertext respond(int index, Point to) {
    return SecretEnvelope.respond(dealing.share(index), ct, binding, to, random);
  }

  @Test
  void agentOpensTheSecretFromAQuorumOfSealedResponses() {
    List<EciesCiphertext> responses =
        List.of(
            respond(4, instance.publicKey()),
            respond(2, instance.publicKey()),
            respond(1, instance.publicKey()));
    OpenResult result = SecretEnvelope.open(instance, committee, binding, ct, responses);
    assertThat(result).isInstanceOf(OpenResult.Opened.class);
    OpenResult.Opened opened = (OpenResult.Opened) result;
    assertThat(opened.value()).isEqualTo(value);
    assertThat(opened.usedIndices()).containsExactly(4, 2, 1);
    assertThat(opened.toString()).doesNotContain("db-password");
  }

  @Test
  void agentSkipsBadResponsesAndUsesTheNextValidOnes() {
    PrivateKey otherInstance = PrivateKey.generate(random);
    KeyShare forged = new KeyShare(3, Scalar.random(random));
    List<EciesCiphertext> responses = new ArrayList<>();
    responses.add(respond(1, otherInstance.publicKey())); // sealed to someone else
    responses.add(SecretEnvelope.respond(forged, ct, binding, instance.publicKey(), random));
    responses.add(respond(1, instance.publicKey()));
    responses.add(respond(1, instance.publicKey())); // same member twice
    responses.add(respond(2, instance.publicKey()));
    responses.add(respond(4, instance.publicKey()));
    OpenResult result = SecretEnvelope.open(instance, committee, binding, ct, responses);
    assertThat(result).isInstanceOf(OpenResult.Opened.class);
    assertThat(((OpenResult.Opened) result).value()).isEqualTo(value);
    assertThat(result.rejections())
        .containsExactly(
            new OpenResult.ShareRejection(0, Reason.AUTHENTICATION_FAILED),
            new OpenResult.ShareRejection(1, Reason.INVALID_PROOF),
            new OpenResult.ShareRejection(3, Reason.DUPLICATE));
  }

  @Test
  void fewerThanQuorumValidResponsesAreReportedNotGuessed() {
    List<EciesCiphertext> responses =
        List.of(respond(1, instance.publicKey()), respond(2, instance.publicKey()));
    assertThat(SecretEnvelope.open(instance, committee, binding, ct, responses))
        .isEqualTo(new OpenResult.NotEnoughShares(2, 3, List.of()));
  }

  @Test
  void aTamperedCiphertextIsReportedAsDecryptionFailure() {
    List<EciesCiphertext> responses =
        List.of(
            respond(1, instance.publicKey()),
            respond(2, instance.publicKey()),
            respond(3, instance.publicKey()));
    byte[] enc = ct.encode();
    enc[enc.length - 1] ^= 1;
    OpenResult result =
        SecretEnvelope.open(instance, committee, binding, SecretCiphertext.decode(enc), responses);
    assertThat(result)
        .isEqualTo(new OpenResult.DecryptionFailed(Reason.AUTHENTICATION_FAILED, List.of()));
  }

  @Test
  void responsesForAnotherSecretDoNotOpen() {
    SecretBinding other =
        new SecretBinding(binding.chainId(), binding.cloud(), binding.owner(), "other", 3);
    List<EciesCiphertext> responses =
        List.of(
            respond(1, instance.publicKey()),
            respond(2, instance.publicKey()),
            respond(3, instance.publicKey()));
    OpenResult result = SecretEnvelope.open(instance, committee, other, ct, responses);
    assertThat(result).isInstanceOf(OpenResult.NotEnoughShares.class);
    assertThat(result.rejections())
        .extracting(OpenResult.ShareRejection::reason)
        .containsOnly(Reason.AUTHENTICATION_FAILED);
  }
}
