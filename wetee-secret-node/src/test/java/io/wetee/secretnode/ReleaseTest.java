package io.wetee.secretnode;

import static org.assertj.core.api.Assertions.assertThat;

import io.wetee.chain.WorkloadInfo;
import io.wetee.common.Hex;
import io.wetee.common.Json;
import io.wetee.common.spec.WorkloadSpec;
import io.wetee.crypto.Address;
import io.wetee.crypto.Bytes32;
import io.wetee.crypto.DecryptionShare;
import io.wetee.crypto.Ecies;
import io.wetee.crypto.EciesCiphertext;
import io.wetee.crypto.KeyShare;
import io.wetee.crypto.PrivateKey;
import io.wetee.crypto.ReportData;
import io.wetee.crypto.Scalar;
import io.wetee.crypto.SecretBinding;
import io.wetee.crypto.SecretCiphertext;
import io.wetee.crypto.SecretEnvelope;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Release over real HTTP between in-process members (fake chain, real crypto and attestation). */
class ReleaseTest {
  @TempDir Path dir;
  LocalCommittee c;
  final SecretClient client = SecretClient.create(Duration.ofSeconds(5));

  @BeforeEach
  void start() {
    c = new LocalCommittee(4, 3, dir, new SecretNodeConfig.RateLimit(1000.0, 1000));
  }

  @AfterEach
  void stop() {
    c.close();
  }

  private ReleaseOutcome release(ReleaseRequest r, PrivateKey instance) {
    return client.release(c.network(), r, instance, c.committee.key(), c.members);
  }

  @Test
  void releasesThreeSecretsThatDecryptToTheSameBytesWithASignedVerdict() {
    PrivateKey instance = PrivateKey.generate(c.rnd);
    ReleaseOutcome out = release(c.request(instance, 1, List.of("a", "b", "c")), instance);
    assertThat(out).isInstanceOf(ReleaseOutcome.Released.class);
    ReleaseOutcome.Released r = (ReleaseOutcome.Released) out;
    assertThat(new String(r.value("a"), StandardCharsets.UTF_8)).isEqualTo("value of a");
    assertThat(new String(r.value("c"), StandardCharsets.UTF_8)).isEqualTo("value of c");
    assertThat(r.signatures()).hasSize(3);
    assertThat(r.verdict().instance()).isEqualTo(instance.address());
    assertThat(r.verdict().measurementHash()).isEqualTo(Bytes32.fromHex(c.specHash));
    assertThat(r.verdict().expiresAt() - r.verdict().issuedAt()).isEqualTo(3600);
    assertThat(r.toString()).doesNotContain("value of");
  }

  /** A member's answer, opened with {@code key} and checked as a client does. */
  private SecretEnvelope.Answer opened(ReleaseResponse answer, PrivateKey key) {
    List<SecretBinding> bindings = new ArrayList<>();
    List<SecretCiphertext> cts = new ArrayList<>();
    List<EciesCiphertext> sealed = new ArrayList<>();
    for (ReleaseResponse.SharedSecret s : answer.secrets()) {
      bindings.add(
          new SecretBinding(
              FakeChain.CHAIN_ID,
              FakeChain.CLOUD,
              Address.fromHex(s.owner()),
              s.name(),
              s.version()));
      cts.add(SecretCiphertext.decode(Hex.decode(s.ciphertext())));
      sealed.add(SecretClient.sealed(s.share()));
    }
    return SecretEnvelope.checkAnswer(Ecies.opener(key), c.committee.key(), bindings, cts, sealed);
  }

  /** The verified shares of a member's answer for {@code instance}. */
  private List<DecryptionShare> sharesIn(ReleaseResponse answer, PrivateKey instance) {
    SecretEnvelope.Answer a = opened(answer, instance);
    assertThat(a).isInstanceOf(SecretEnvelope.Answer.Verified.class);
    return ((SecretEnvelope.Answer.Verified) a).shares();
  }

  @Test
  void aMemberAnswersLaterReleasesOfTheSameSecretsWithItsKeptSharesSealedAfresh() throws Exception {
    PrivateKey first = PrivateKey.generate(c.rnd);
    PrivateKey second = PrivateKey.generate(c.rnd);
    ReleaseResponse a =
        Json.strict()
            .readValue(post(c.request(first, 1, List.of("a", "b"))).body(), ReleaseResponse.class);
    ReleaseResponse b =
        Json.strict()
            .readValue(post(c.request(second, 1, List.of("a", "b"))).body(), ReleaseResponse.class);
    var sharesA = sharesIn(a, first);
    var sharesB = sharesIn(b, second);
    // The same shares and the same batched proof (kept, not recomputed with a new nonce) ...
    assertThat(sharesB).isEqualTo(sharesA);
    // ... sealed to each instance afresh: the other instance's key opens neither.
    assertThat(b.secrets().get(0).share()).isNotEqualTo(a.secrets().get(0).share());
    assertThat(opened(b, first)).isInstanceOf(SecretEnvelope.Answer.Rejected.class);
    // A new version of a secret is a new ciphertext: new shares and a new proof.
    c.putSecret(c.owner(), "a", 2, "value 2 of a".getBytes(StandardCharsets.UTF_8));
    PrivateKey third = PrivateKey.generate(c.rnd);
    ReleaseResponse d =
        Json.strict()
            .readValue(post(c.request(third, 1, List.of("a", "b"))).body(), ReleaseResponse.class);
    var sharesD = sharesIn(d, third);
    assertThat(sharesD.get(0).value()).isNotEqualTo(sharesA.get(0).value());
    assertThat(sharesD.get(1).value()).isEqualTo(sharesA.get(1).value());
    assertThat(sharesD.get(0).proof()).isNotEqualTo(sharesA.get(0).proof());
    ReleaseOutcome out = release(c.request(third, 1, List.of("a", "b")), third);
    assertThat(new String(((ReleaseOutcome.Released) out).value("a"), StandardCharsets.UTF_8))
        .isEqualTo("value 2 of a");
  }

  @Test
  void releasesWithOneMemberDownAndFailsClosedWithTwoDown() {
    c.stop(2);
    PrivateKey instance = PrivateKey.generate(c.rnd);
    ReleaseOutcome out = release(c.request(instance, 1, List.of("b")), instance);
    assertThat(out).isInstanceOf(ReleaseOutcome.Released.class);
    assertThat(out.skipped())
        .extracting(ReleaseOutcome.NodeError::reason)
        .containsExactly("unreachable");

    c.stop(4);
    ReleaseOutcome failed = release(c.request(instance, 1, List.of("b")), instance);
    assertThat(failed).isInstanceOf(ReleaseOutcome.Failed.class);
    ReleaseOutcome.Failed f = (ReleaseOutcome.Failed) failed;
    assertThat(f.valid()).isEqualTo(2);
    assertThat(f.needed()).isEqualTo(3);
    assertThat(f.message()).startsWith("secret release failed: 2 valid answers, 3 needed; ");
  }

  @Test
  void skipsAMemberWhoseDecryptionShareFailsItsProof() {
    KeyShare good = c.committee.shares().get(0);
    c.stop(1);
    c.start(
        1, new KeyShare(1, good.value().add(Scalar.ONE)), new SecretNodeConfig.RateLimit(9.0, 9));
    PrivateKey instance = PrivateKey.generate(c.rnd);
    ReleaseOutcome out = release(c.request(instance, 1, List.of("a")), instance);
    assertThat(out).isInstanceOf(ReleaseOutcome.Released.class);
    assertThat(new String(((ReleaseOutcome.Released) out).value("a"), StandardCharsets.UTF_8))
        .isEqualTo("value of a");
    assertThat(out.skipped())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.reason()).isEqualTo("invalid-share");
              assertThat(e.member()).isEqualTo(c.members.get(0).address());
              assertThat(e.detail()).contains("INVALID_PROOF");
            });
  }

  @Test
  void aVerdictSignedByAnotherKeyIsRejectedBeforeAndAfterTheMembersKeyIsKnown() throws Exception {
    PrivateKey instance = PrivateKey.generate(c.rnd);
    ReleaseRequest r = c.request(instance, 1, List.of("a"));
    HttpResponse<String> answer = post(r);
    assertThat(answer.statusCode()).isEqualTo(200);
    ReleaseResponse honest = Json.strict().readValue(answer.body(), ReleaseResponse.class);
    SecretClient.Member m = c.members.get(0);
    java.util.Map<String, io.wetee.crypto.Point> keys = new java.util.HashMap<>();
    // Unknown key: recovered, checked, remembered; known key: verified.
    for (int round = 0; round < 2; round++) {
      ReleaseCheck check = new ReleaseCheck(c.network(), r, instance, c.committee.key(), keys);
      assertThat(check.accept(m, honest, new java.util.ArrayList<>())).isEmpty();
      assertThat(keys).containsOnlyKeys(m.address().toLowerCase(java.util.Locale.ROOT));
    }
    PrivateKey other = PrivateKey.generate(c.rnd);
    String forgedSig =
        Hex.encode0x(
            honest
                .verdict()
                .toVerdict()
                .sign(other, c.network().chainId(), c.network().committee())
                .encode());
    ReleaseResponse forged =
        new ReleaseResponse(
            honest.member(),
            honest.index(),
            honest.epoch(),
            honest.verdict(),
            forgedSig,
            honest.secrets());
    for (var known : List.of(keys, new java.util.HashMap<String, io.wetee.crypto.Point>())) {
      ReleaseCheck check = new ReleaseCheck(c.network(), r, instance, c.committee.key(), known);
      assertThat(check.accept(m, forged, new java.util.ArrayList<>()))
          .hasValueSatisfying(
              e -> {
                assertThat(e.reason()).isEqualTo("bad-signature");
                assertThat(e.detail()).contains(other.address().toString());
              });
    }
  }

  @Test
  void refusesEvidenceReplayedForAnotherInstance() throws Exception {
    PrivateKey instance = PrivateKey.generate(c.rnd);
    ReleaseRequest r = c.request(instance, 1, List.of("a"));
    PrivateKey thief = PrivateKey.generate(c.rnd);
    ReleaseRequest stolen =
        new ReleaseRequest(
            1,
            1,
            Hex.encode0x(thief.publicKey().encode()),
            r.nonce(),
            r.evidence(),
            r.issuedAt(),
            r.secrets());
    assertRefused(stolen, 403, "report-data-mismatch");
  }

  @Test
  void refusesEvidenceReplayedForAnotherVersion() throws Exception {
    PrivateKey instance = PrivateKey.generate(c.rnd);
    ReleaseRequest v1 = c.request(instance, 1, List.of("a"));
    c.chain.workloads.put(
        1L, FakeChain.workload(1, c.owner(), 7, 2, c.specHash, WorkloadInfo.Status.PENDING));
    ReleaseRequest asV2 =
        new ReleaseRequest(
            1, 2, v1.instanceKey(), v1.nonce(), v1.evidence(), v1.issuedAt(), v1.secrets());
    assertRefused(asV2, 403, "report-data-mismatch");
    assertRefused(v1, 403, "wrong-version");
  }

  @Test
  void refusesEvidenceThatFailsVerificationOrPolicy() throws Exception {
    PrivateKey instance = PrivateKey.generate(c.rnd);
    ReleaseRequest ok = c.request(instance, 1, List.of("a"));
    byte[] tampered = Hex.decode(ok.evidence());
    tampered[20] ^= 1; // inside the measurement: the platform signature no longer matches
    assertRefused(withEvidence(ok, tampered), 403, "evidence-rejected");

    Bytes32 nonce = Bytes32.fromHex(ok.nonce());
    ReportData rd =
        new ReportData(FakeChain.CHAIN_ID, FakeChain.CLOUD, 1, 1, instance.address(), nonce);
    byte[] debug = c.platform.report(Hex.decode(c.specHash), rd.toBytes(), true, Instant.now());
    assertThat(body(withEvidence(ok, debug))).contains("DEBUG_NOT_ALLOWED");
    assertRefused(withEvidence(ok, debug), 403, "policy-rejected");

    byte[] otherCode = c.platform.report(new byte[32], rd.toBytes(), false, Instant.now());
    assertRefused(withEvidence(ok, otherCode), 403, "policy-rejected");
    assertThat(body(withEvidence(ok, otherCode))).contains("MEASUREMENT_NOT_ALLOWED");
  }

  @Test
  void refusesAWorkloadNotAssignedToTheRequestingWorker() throws Exception {
    PrivateKey instance = PrivateKey.generate(c.rnd);
    c.chain.registerPlatform(c.platform.publicKey(), 8);
    assertRefused(c.request(instance, 1, List.of("a")), 403, "wrong-worker");
    c.chain.platforms.clear();
    assertRefused(c.request(instance, 1, List.of("a")), 403, "platform-not-registered");
  }

  @Test
  void refusesAStoppedWorkload() throws Exception {
    c.chain.workloads.put(
        1L, FakeChain.workload(1, c.owner(), 7, 1, c.specHash, WorkloadInfo.Status.STOPPED));
    assertRefused(c.request(PrivateKey.generate(c.rnd), 1, List.of("a")), 403, "workload-stopped");
  }

  @Test
  void refusesAnotherOwnersSecretAndASecretNotInTheSpec() throws Exception {
    PrivateKey instance = PrivateKey.generate(c.rnd);
    String other = PrivateKey.generate(c.rnd).address().toString();
    c.putSecret(other, "a", 1, new byte[] {1});
    ReleaseRequest r = c.request(instance, 1, List.of("a"));
    ReleaseRequest others =
        new ReleaseRequest(
            1,
            1,
            r.instanceKey(),
            r.nonce(),
            r.evidence(),
            r.issuedAt(),
            List.of(new ReleaseRequest.SecretRef("a", other)));
    assertRefused(others, 403, "secret-not-owned");

    c.putSecret(c.owner(), "d", 1, new byte[] {2});
    assertRefused(c.request(instance, 1, List.of("a", "d")), 403, "secret-not-in-spec");

    String spec =
        LocalCommittee.SPEC.replace("secretEnv: { A: a, B: b }", "secretEnv: { A: a, E: e }");
    String hash = c.chain.putSpec(WorkloadSpec.parseYaml(spec).canonicalJson());
    c.chain.workloads.put(
        1L, FakeChain.workload(1, c.owner(), 7, 1, hash, WorkloadInfo.Status.RUNNING));
    c.specHash = hash;
    assertRefused(c.request(instance, 1, List.of("e")), 404, "unknown-secret");
  }

  @Test
  void limitsRequestsPerClientAndAuditsEveryAttemptInAHashChain() throws Exception {
    c.close();
    c = new LocalCommittee(4, 3, dir.resolve("limited"), new SecretNodeConfig.RateLimit(0.01, 2));
    PrivateKey instance = PrivateKey.generate(c.rnd);
    ReleaseRequest r = c.request(instance, 1, List.of("a"));
    assertThat(post(r).statusCode()).isEqualTo(200);
    assertThat(post(withEvidence(r, new byte[] {1})).statusCode()).isEqualTo(403);
    HttpResponse<String> third = post(r);
    assertThat(third.statusCode()).isEqualTo(429);
    assertThat(Json.strict().readValue(third.body(), Refusal.class).reason())
        .isEqualTo("rate-limited");

    Path log = dir.resolve("limited/audit-1.log");
    List<AuditLog.Entry> entries =
        java.nio.file.Files.readAllLines(log).stream().map(ReleaseTest::entry).toList();
    assertThat(entries)
        .extracting(AuditLog.Entry::outcome)
        .containsExactly("released", "evidence-rejected", "rate-limited");
    assertThat(entries.get(0).instance()).isEqualTo(instance.address().toString());
    assertThat(entries.get(0).secrets()).containsExactly("a");
    assertThat(AuditLog.verifyChain(log)).isTrue();
    List<String> lines = new java.util.ArrayList<>(java.nio.file.Files.readAllLines(log));
    lines.remove(1);
    java.nio.file.Files.write(log, lines);
    assertThat(AuditLog.verifyChain(log)).isFalse();
  }

  private static AuditLog.Entry entry(String line) {
    try {
      return Json.strict().readValue(line, AuditLog.Entry.class);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private static ReleaseRequest withEvidence(ReleaseRequest r, byte[] evidence) {
    return new ReleaseRequest(
        r.workloadId(),
        r.version(),
        r.instanceKey(),
        r.nonce(),
        Hex.encode0x(evidence),
        r.issuedAt(),
        r.secrets());
  }

  private void assertRefused(ReleaseRequest r, int status, String reason) throws Exception {
    HttpResponse<String> resp = post(r);
    assertThat(resp.statusCode()).as(resp.body()).isEqualTo(status);
    assertThat(Json.strict().readValue(resp.body(), Refusal.class).reason()).isEqualTo(reason);
  }

  private String body(ReleaseRequest r) throws Exception {
    return post(r).body();
  }

  private HttpResponse<String> post(ReleaseRequest r) throws Exception {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(c.members.get(0).endpoint() + "/v1/release"))
            .POST(HttpRequest.BodyPublishers.ofByteArray(Json.strict().writeValueAsBytes(r)))
            .build();
    return HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void answersHealthAndEpoch() throws Exception {
    HttpResponse<String> h =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(c.members.get(1).endpoint() + "/v1/health"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(Json.lenient().readTree(h.body()).get("status").asText()).isEqualTo("ok");
    assertThat(client.health(c.members).values()).containsOnly("ok");
    assertThat(client.fetchKey(c.members, 3)).contains(c.committee.key());
    assertThat(Address.fromHex(c.members.get(0).address()))
        .isEqualTo(c.committee.accounts().get(0).address());
  }
}
