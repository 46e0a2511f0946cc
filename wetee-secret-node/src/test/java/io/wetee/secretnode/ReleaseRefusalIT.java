package io.wetee.secretnode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wetee.attestation.EvidenceVerifier;
import io.wetee.attestation.SimulatedPlatform;
import io.wetee.chain.ChainClient;
import io.wetee.chain.Deployment;
import io.wetee.chain.Fixtures;
import io.wetee.chain.HardhatExtension;
import io.wetee.chain.HardhatNode;
import io.wetee.common.Hex;
import io.wetee.common.Json;
import io.wetee.common.Secret;
import io.wetee.common.spec.WorkloadSpec;
import io.wetee.crypto.Address;
import io.wetee.crypto.Bytes32;
import io.wetee.crypto.Keccak;
import io.wetee.crypto.KeyShare;
import io.wetee.crypto.PrivateKey;
import io.wetee.crypto.ReportData;
import io.wetee.crypto.Scalar;
import io.wetee.crypto.SecretBinding;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;

/**
 * Every refusal of issue #4 and the cheating member, against a real Hardhat node: 4 secret nodes
 * (each its own Javalin server, sealed store and chain client) run the DKG over the Committee
 * contract once for the class; a real workload is created on Cloud for a worker registered on
 * Subnet with its SIMULATED platform, and real secrets are put on Cloud. Each test posts over HTTP
 * on loopback to every member and asserts the exact status and reason code.
 *
 * <p>The class state is made in {@link #committeeAndWorkload} under its own {@code evm_snapshot}
 * (reverted in {@link #stopAll}); {@link HardhatExtension} reverts each test's own transactions, so
 * a stopped or updated workload does not leak into the next test. Transactions inside a test go
 * through fresh {@link ChainClient}s, whose nonces start from the chain.
 */
@ExtendWith(HardhatExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReleaseRefusalIT {
  @TempDir static Path dir;
  final SecureRandom rnd = new SecureRandom();
  final List<SecretNode> nodes = new ArrayList<>();
  final List<AutoCloseable> classClosers = new ArrayList<>();
  final List<AutoCloseable> testClosers = new ArrayList<>();
  final SecretClient client = SecretClient.create(Duration.ofSeconds(5));
  final HttpClient http = HttpClient.newHttpClient();

  HardhatNode node;
  Deployment d;
  String classSnapshot;
  ChainClient reader;
  CommitteeKeys.EpochPublicKey key;
  long workloadId;
  long workerId;
  String owner;
  String otherOwner;
  String specHash;
  SimulatedPlatform platform;
  SimulatedPlatform otherWorkersPlatform;

  @BeforeAll
  void committeeAndWorkload(HardhatNode node, Deployment d) throws Exception {
    this.node = node;
    this.d = d;
    classSnapshot = node.rpc("evm_snapshot");
    ChainClient admin = connect(d, 0, classClosers);
    reader = admin;
    admin
        .committee()
        .contract()
        .setDkgPhases(BigInteger.valueOf(12), BigInteger.valueOf(8), BigInteger.valueOf(8))
        .send();
    Thread miner = mineInBackground(node);
    try {
      for (int i = 10; i < 14; i++) {
        nodes.add(startNode(i, 0));
      }
      admin.committee().setEpoch(1, nodes.stream().map(SecretNode::address).toList(), 3);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> CommitteeKeys.active(admin).filter(k -> k.epoch() == 1).isPresent());
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> nodes.stream().allMatch(n -> n.currentKey().isPresent()));
    } finally {
      miner.interrupt();
    }
    key = CommitteeKeys.of(admin, 1).orElseThrow();

    platform = SimulatedPlatform.generate(rnd);
    workerId = registerWorker(connect(d, 1, classClosers), platform);
    otherWorkersPlatform = SimulatedPlatform.generate(rnd);
    registerWorker(connect(d, 3, classClosers), otherWorkersPlatform);

    ChainClient ownerClient = connect(d, 2, classClosers);
    owner = ownerClient.account().orElseThrow();
    byte[] spec = WorkloadSpec.parseYaml(LocalCommittee.SPEC).canonicalJson();
    specHash = Hex.encode0x(Keccak.keccak256(spec));
    workloadId = Fixtures.createService(ownerClient, workerId, spec);
    for (String name : List.of("a", "b", "c", "d")) { // d exists but the spec does not name it
      putSecret(ownerClient, name);
    }
    ChainClient other = connect(d, 4, classClosers);
    otherOwner = other.account().orElseThrow();
    putSecret(other, "a");
  }

  @AfterEach
  void closeTestClients() throws Exception {
    for (AutoCloseable c : testClosers) {
      c.close();
    }
    testClosers.clear();
  }

  @AfterAll
  void stopAll() throws Exception {
    for (SecretNode n : nodes) {
      n.close();
    }
    for (AutoCloseable c : classClosers) {
      c.close();
    }
    if (classSnapshot != null) {
      node.rpc("evm_revert", classSnapshot);
    }
  }

  @Test
  void releasesTheSpecsSecretsToTheAttestedInstance() {
    PrivateKey instance = PrivateKey.generate(rnd);
    ReleaseOutcome out = release(request(instance, List.of("a", "c")), instance);
    assertThat(text(out, "a")).isEqualTo("it a of " + owner);
    assertThat(text(out, "c")).isEqualTo("it c of " + owner);
    assertThat(out.skipped()).isEmpty();
  }

  @Test
  void refusesEvidenceReplayedForAnotherInstance() throws Exception {
    PrivateKey instance = PrivateKey.generate(rnd);
    ReleaseRequest r = request(instance, List.of("a"));
    PrivateKey thief = PrivateKey.generate(rnd);
    ReleaseRequest stolen =
        new ReleaseRequest(
            r.workloadId(),
            r.version(),
            Hex.encode0x(thief.publicKey().encode()),
            r.nonce(),
            r.evidence(),
            r.issuedAt(),
            r.secrets());
    assertRefusedByEveryMember(stolen, 403, "report-data-mismatch");
    assertFailsClosed(release(stolen, thief), "report-data-mismatch");
  }

  @Test
  void refusesEvidenceReplayedForAnotherVersion() throws Exception {
    PrivateKey instance = PrivateKey.generate(rnd);
    ReleaseRequest v1 = request(instance, List.of("a"));
    byte[] spec = WorkloadSpec.parseYaml(LocalCommittee.SPEC).canonicalJson();
    connect(d, 2, testClosers).cloud().update(workloadId, spec); // now version 2, same spec
    ReleaseRequest asV2 =
        new ReleaseRequest(
            v1.workloadId(),
            2,
            v1.instanceKey(),
            v1.nonce(),
            v1.evidence(),
            v1.issuedAt(),
            v1.secrets());
    assertRefusedByEveryMember(asV2, 403, "report-data-mismatch");
    assertRefusedByEveryMember(v1, 403, "wrong-version");
  }

  @Test
  void refusesEvidenceThatFailsVerificationOrPolicy() throws Exception {
    PrivateKey instance = PrivateKey.generate(rnd);
    ReleaseRequest ok = request(instance, List.of("a"));
    byte[] tampered = Hex.decode(ok.evidence());
    tampered[20] ^= 1; // inside the measurement: the platform signature no longer matches
    assertRefusedByEveryMember(withEvidence(ok, tampered), 403, "evidence-rejected");

    ReportData rd = reportData(instance, Bytes32.fromHex(ok.nonce()), 1);
    byte[] debug = platform.report(Hex.decode(specHash), rd.toBytes(), true, Instant.now());
    assertThat(assertRefusedByEveryMember(withEvidence(ok, debug), 403, "policy-rejected"))
        .contains("DEBUG_NOT_ALLOWED");
    byte[] otherCode = platform.report(new byte[32], rd.toBytes(), false, Instant.now());
    assertThat(assertRefusedByEveryMember(withEvidence(ok, otherCode), 403, "policy-rejected"))
        .contains("MEASUREMENT_NOT_ALLOWED");
  }

  @Test
  void refusesAWorkloadNotAssignedToTheRequestingWorker() throws Exception {
    PrivateKey instance = PrivateKey.generate(rnd);
    Bytes32 nonce = randomNonce();
    byte[] fromOtherWorker =
        otherWorkersPlatform.report(
            Hex.decode(specHash), reportData(instance, nonce, 1).toBytes(), false, Instant.now());
    ReleaseRequest r = request(instance, nonce, fromOtherWorker, List.of("a"));
    assertThat(assertRefusedByEveryMember(r, 403, "wrong-worker"))
        .contains("assigned to worker " + workerId);

    SimulatedPlatform unregistered = SimulatedPlatform.generate(rnd);
    byte[] fromNowhere =
        unregistered.report(
            Hex.decode(specHash), reportData(instance, nonce, 1).toBytes(), false, Instant.now());
    assertRefusedByEveryMember(
        request(instance, nonce, fromNowhere, List.of("a")), 403, "platform-not-registered");
  }

  @Test
  void refusesAStoppedWorkload() throws Exception {
    PrivateKey instance = PrivateKey.generate(rnd);
    ReleaseRequest r = request(instance, List.of("a"));
    connect(d, 2, testClosers).cloud().stop(workloadId);
    assertRefusedByEveryMember(r, 403, "workload-stopped");
  }

  @Test
  void refusesAnotherOwnersSecret() throws Exception {
    PrivateKey instance = PrivateKey.generate(rnd);
    ReleaseRequest r = request(instance, List.of("a"));
    ReleaseRequest others =
        new ReleaseRequest(
            r.workloadId(),
            r.version(),
            r.instanceKey(),
            r.nonce(),
            r.evidence(),
            r.issuedAt(),
            List.of(new ReleaseRequest.SecretRef("a", otherOwner)));
    assertRefusedByEveryMember(others, 403, "secret-not-owned");
  }

  @Test
  void refusesASecretNotNamedInTheSpec() throws Exception {
    PrivateKey instance = PrivateKey.generate(rnd);
    assertThat(
            assertRefusedByEveryMember(
                request(instance, List.of("a", "d")), 403, "secret-not-in-spec"))
        .contains("secret d ");
    assertFailsClosed(release(request(instance, List.of("d")), instance), "secret-not-in-spec");
  }

  @Test
  void skipsAMemberWhoseDecryptionShareFailsItsProof() throws Exception {
    SecretNode honest = nodes.get(0);
    int port = honest.port();
    EpochKey good = honest.currentKey().orElseThrow();
    KeyShare share = good.share().orElseThrow();
    EpochKey wrong =
        new EpochKey(
            good.epoch(),
            good.members(),
            good.key(),
            Optional.of(new KeyShare(share.index(), share.value().add(Scalar.ONE))));
    honest.close();
    try (Api cheater = cheatingMember(10, wrong, port)) {
      PrivateKey instance = PrivateKey.generate(rnd);
      ReleaseOutcome out = release(request(instance, List.of("a", "b")), instance);
      assertThat(text(out, "a")).isEqualTo("it a of " + owner);
      assertThat(text(out, "b")).isEqualTo("it b of " + owner);
      assertThat(out.skipped())
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.reason()).isEqualTo("invalid-share");
                assertThat(e.member()).isEqualToIgnoringCase(honest.address());
                assertThat(e.detail()).contains("INVALID_PROOF");
              });
      assertThat(((ReleaseOutcome.Released) out).signatures())
          .extracting(s -> s.signer().toLowerCase(java.util.Locale.ROOT))
          .doesNotContain(honest.address().toLowerCase(java.util.Locale.ROOT));
    } finally {
      nodes.set(0, startNode(10, port)); // back from its sealed store with the right share
    }
    assertThat(nodes.get(0).currentKey().orElseThrow().share()).contains(share);
  }

  /**
   * Member {@code account} as the production classes make it (chain view, evidence verifier,
   * release service, API) but holding {@code key}, whose share is wrong: its verdict and checks are
   * honest, its decryption shares are not.
   */
  private Api cheatingMember(int account, EpochKey key, int port) {
    PrivateKey signer = PrivateKey.fromHex(d.account(account).privateKey());
    ChainClient chain =
        connect(d, account, testClosers); // reads only: the view never sends a transaction
    KeyRing ring = new KeyRing();
    ring.install(key);
    ReleaseService service =
        new ReleaseService(
            new OnChainView(chain),
            EvidenceVerifier.builder().build(),
            ring,
            signer,
            Address.fromHex(d.address("Committee")),
            new SecretNodeConfig.Release(true, null, null, null),
            Clock.systemUTC(),
            rnd);
    Api api =
        new Api(
            service,
            ring,
            signer.address(),
            PrivateKey.generate(rnd).publicKey(),
            new AuditLog(dir.resolve("cheater-audit.log")),
            new RateLimiter(1000.0, 1000),
            Clock.systemUTC());
    api.start("127.0.0.1", port);
    return api;
  }

  private ReleaseOutcome release(ReleaseRequest r, PrivateKey instance) {
    return client.release(
        SecretClient.Network.of(d), r, instance, key.key(), SecretClient.members(reader));
  }

  private static String text(ReleaseOutcome o, String name) {
    assertThat(o).as(String.valueOf(o)).isInstanceOf(ReleaseOutcome.Released.class);
    return new String(((ReleaseOutcome.Released) o).value(name), StandardCharsets.UTF_8);
  }

  private static void assertFailsClosed(ReleaseOutcome o, String reason) {
    assertThat(o).isInstanceOf(ReleaseOutcome.Failed.class);
    assertThat(o.skipped())
        .hasSize(4)
        .extracting(ReleaseOutcome.NodeError::reason)
        .containsOnly(reason);
  }

  /**
   * Posts to every member; asserts each answers {@code status} with {@code reason}; the details.
   */
  private String assertRefusedByEveryMember(ReleaseRequest r, int status, String reason)
      throws Exception {
    StringBuilder details = new StringBuilder();
    for (SecretClient.Member m : SecretClient.members(reader)) {
      HttpResponse<String> resp =
          http.send(
              HttpRequest.newBuilder(URI.create(m.endpoint() + "/v1/release"))
                  .POST(HttpRequest.BodyPublishers.ofByteArray(Json.strict().writeValueAsBytes(r)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(resp.statusCode()).as(m + ": " + resp.body()).isEqualTo(status);
      Refusal refusal = Json.strict().readValue(resp.body(), Refusal.class);
      assertThat(refusal.reason()).as(m + ": " + resp.body()).isEqualTo(reason);
      details.append(refusal.detail()).append('\n');
    }
    return details.toString();
  }

  private ReportData reportData(PrivateKey instance, Bytes32 nonce, long version) {
    return new ReportData(
        BigInteger.valueOf(d.chainId()),
        Address.fromHex(d.address("Cloud")),
        workloadId,
        version,
        instance.address(),
        nonce);
  }

  /**
   * A valid request for version 1 from {@code instance}, with evidence of the worker's platform.
   */
  private ReleaseRequest request(PrivateKey instance, List<String> names) {
    Bytes32 nonce = randomNonce();
    byte[] evidence =
        platform.report(
            Hex.decode(specHash), reportData(instance, nonce, 1).toBytes(), false, Instant.now());
    return request(instance, nonce, evidence, names);
  }

  private ReleaseRequest request(
      PrivateKey instance, Bytes32 nonce, byte[] evidence, List<String> names) {
    return new ReleaseRequest(
        workloadId,
        1,
        Hex.encode0x(instance.publicKey().encode()),
        nonce.toHex(),
        Hex.encode0x(evidence),
        Instant.now().getEpochSecond(),
        names.stream().map(ReleaseRequest.SecretRef::named).toList());
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

  private Bytes32 randomNonce() {
    byte[] b = new byte[32];
    rnd.nextBytes(b);
    return Bytes32.of(b);
  }

  private void putSecret(ChainClient from, String name) {
    String account = from.account().orElseThrow();
    SecretBinding b =
        new SecretBinding(
            BigInteger.valueOf(d.chainId()),
            Address.fromHex(d.address("Cloud")),
            Address.fromHex(account),
            name,
            1);
    byte[] value = ("it " + name + " of " + account).getBytes(StandardCharsets.UTF_8);
    from.cloud().putSecret(name, SecretClient.encrypt(key.key().groupKey(), b, value).encode());
  }

  private static long registerWorker(ChainClient worker, SimulatedPlatform platform) {
    return Fixtures.registerSimulatedWorker(worker, platform.publicKey());
  }

  private static ChainClient connect(Deployment d, int i, List<AutoCloseable> closers) {
    ChainClient c =
        ChainClient.connect(d, Optional.of(Credentials.create(d.account(i).privateKey())));
    closers.add(c);
    return c;
  }

  private static Thread mineInBackground(HardhatNode node) {
    return Thread.ofVirtual()
        .start(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                try {
                  node.rpc("evm_mine");
                  Thread.sleep(150);
                } catch (InterruptedException | RuntimeException e) {
                  return;
                }
              }
            });
  }

  private SecretNode startNode(int i, int port) throws Exception {
    Path deployment = dir.resolve("deployment.json");
    Json.strict().writeValue(deployment.toFile(), d);
    SecretNodeConfig c =
        new SecretNodeConfig(
            deployment,
            dir.resolve("node-" + i),
            new SecretNodeConfig.Listen("127.0.0.1", port),
            null,
            new SecretNodeConfig.Account(i, null),
            Secret.of("it-passphrase-" + i),
            new SecretNodeConfig.Release(true, null, null, null),
            new SecretNodeConfig.RateLimit(1000.0, 1000),
            new SecretNodeConfig.Dkg(true, true, 100L));
    return SecretNode.start(c, Clock.systemUTC(), 1000, ChainDkg.Behaviour.HONEST);
  }
}
