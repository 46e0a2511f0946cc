package io.wetee.secretnode;

import io.wetee.attestation.EvidenceVerifier;
import io.wetee.attestation.SimulatedPlatform;
import io.wetee.chain.WorkloadInfo;
import io.wetee.common.Hex;
import io.wetee.common.spec.WorkloadSpec;
import io.wetee.crypto.Bytes32;
import io.wetee.crypto.KeyShare;
import io.wetee.crypto.PrivateKey;
import io.wetee.crypto.ReportData;
import io.wetee.crypto.SecretBinding;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * n members, each with its own Javalin server on loopback and its own audit log, over one {@link
 * FakeChain}; plus a workload (id 1, worker 7) whose spec names secrets a, b and c, all put by its
 * owner, and a SIMULATED platform registered to worker 7.
 */
final class LocalCommittee implements AutoCloseable {
  static final String SPEC =
      """
      name: hello
      kind: service
      tee: { types: [SIMULATED] }
      containers:
        - name: web
          image: hello
          secretEnv: { A: a, B: b }
          files: [{ path: /etc/c, secret: c }]
      """;

  final SecureRandom rnd = new SecureRandom();
  final FakeChain chain = new FakeChain();
  final TestCommittee committee;
  final List<Api> apis = new ArrayList<>();
  final List<SecretClient.Member> members = new ArrayList<>();
  final PrivateKey owner = PrivateKey.generate(rnd);
  final SimulatedPlatform platform = SimulatedPlatform.generate(rnd);
  final Path dir;
  String specHash;

  LocalCommittee(int n, int q, Path dir, SecretNodeConfig.RateLimit limit) {
    this.dir = dir;
    this.committee = TestCommittee.generate(n, q, rnd);
    for (int i = 1; i <= n; i++) {
      start(i, committee.shares().get(i - 1), limit);
    }
    specHash = chain.putSpec(WorkloadSpec.parseYaml(SPEC).canonicalJson());
    chain.workloads.put(
        1L, FakeChain.workload(1, owner(), 7, 1, specHash, WorkloadInfo.Status.PENDING));
    chain.registerPlatform(platform.publicKey(), 7);
    for (String name : List.of("a", "b", "c")) {
      putSecret(owner(), name, 1, ("value of " + name).getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Starts member i with the given share (a wrong one makes a cheating member). */
  void start(int i, KeyShare share, SecretNodeConfig.RateLimit limit) {
    PrivateKey account = committee.accounts().get(i - 1);
    KeyRing ring = new KeyRing();
    ring.install(new EpochKey(1, committee.members(), committee.key(), Optional.of(share)));
    ReleaseService service =
        new ReleaseService(
            chain,
            EvidenceVerifier.builder().build(),
            ring,
            account,
            FakeChain.COMMITTEE,
            new SecretNodeConfig.Release(true, null, null, null),
            Clock.systemUTC(),
            rnd);
    Api api =
        new Api(
            service,
            ring,
            account.address(),
            PrivateKey.generate(rnd).publicKey(),
            new AuditLog(dir.resolve("audit-" + i + ".log")),
            new RateLimiter(limit.perSecond(), limit.burst()),
            Clock.systemUTC());
    int port = api.start("127.0.0.1", 0);
    if (apis.size() >= i) {
      apis.set(i - 1, api);
      members.set(
          i - 1,
          new SecretClient.Member(i, account.address().toString(), "http://127.0.0.1:" + port));
    } else {
      apis.add(api);
      members.add(
          new SecretClient.Member(i, account.address().toString(), "http://127.0.0.1:" + port));
    }
  }

  String owner() {
    return owner.address().toString();
  }

  void putSecret(String owner, String name, long version, byte[] value) {
    SecretBinding b =
        new SecretBinding(
            FakeChain.CHAIN_ID,
            FakeChain.CLOUD,
            io.wetee.crypto.Address.fromHex(owner),
            name,
            version);
    chain.putSecret(
        owner, name, version, SecretClient.encrypt(committee.key().groupKey(), b, value).encode());
  }

  SecretClient.Network network() {
    return new SecretClient.Network(FakeChain.CHAIN_ID, FakeChain.CLOUD, FakeChain.COMMITTEE);
  }

  /** A valid request for workload 1 version {@code version} from {@code instance}. */
  ReleaseRequest request(PrivateKey instance, long version, List<String> secrets) {
    Bytes32 nonce = Bytes32.of(randomBytes());
    ReportData rd =
        new ReportData(FakeChain.CHAIN_ID, FakeChain.CLOUD, 1, version, instance.address(), nonce);
    byte[] evidence = platform.report(Hex.decode(specHash), rd.toBytes(), false, Instant.now());
    return request(instance, version, nonce, evidence, secrets);
  }

  ReleaseRequest request(
      PrivateKey instance, long version, Bytes32 nonce, byte[] evidence, List<String> secrets) {
    return new ReleaseRequest(
        1,
        version,
        Hex.encode0x(instance.publicKey().encode()),
        nonce.toHex(),
        Hex.encode0x(evidence),
        Instant.now().getEpochSecond(),
        secrets.stream().map(ReleaseRequest.SecretRef::named).toList());
  }

  private byte[] randomBytes() {
    byte[] b = new byte[32];
    rnd.nextBytes(b);
    return b;
  }

  void stop(int i) {
    apis.get(i - 1).close();
  }

  @Override
  public void close() {
    apis.forEach(Api::close);
  }
}
