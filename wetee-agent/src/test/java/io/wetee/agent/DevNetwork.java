package io.wetee.agent;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.wetee.attestation.SimulatedPlatform;
import io.wetee.attestation.TeeType;
import io.wetee.chain.ChainClient;
import io.wetee.chain.CreateWorkload;
import io.wetee.chain.Deployment;
import io.wetee.chain.Fixtures;
import io.wetee.chain.HardhatNode;
import io.wetee.chain.Resources;
import io.wetee.chain.WorkloadKind;
import io.wetee.common.Json;
import io.wetee.common.Secret;
import io.wetee.crypto.Address;
import io.wetee.crypto.SecretBinding;
import io.wetee.secretnode.CommitteeKeys;
import io.wetee.secretnode.SecretClient;
import io.wetee.secretnode.SecretNode;
import io.wetee.secretnode.SecretNodeConfig;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.web3j.crypto.Credentials;

/**
 * A whole devnet in this JVM for the agent's integration tests: a real Hardhat node with the
 * contracts, four real {@link SecretNode}s (their own HTTP servers, sealed stores and chain
 * clients) that run the DKG over the Committee contract (q = 3), a registered and staked worker
 * (account 1) with a SIMULATED platform, its {@link QuotingService} on loopback, and an owner
 * (account 2) who creates workloads and puts secrets encrypted to the group key.
 */
final class DevNetwork implements AutoCloseable {
  final Path dir;
  final HardhatNode node;
  final Deployment deployment;
  final ChainClient admin;
  final ChainClient worker;
  final ChainClient owner;
  final long workerId;
  final List<SecretNode> nodes = new ArrayList<>();
  final CommitteeKeys.EpochPublicKey key;
  final SecureRandom rnd = new SecureRandom();
  final SimulatedPlatform platform = SimulatedPlatform.generate(rnd);
  final QuotingService quoting = new QuotingService(platform, Clock.systemUTC(), rnd);
  private final Javalin quotingApp;
  private final Thread miner;

  DevNetwork(Path dir) throws Exception {
    this.dir = dir;
    Path contracts =
        Paths.get(System.getProperty("wetee.contracts.dir", "../contracts")).toAbsolutePath();
    node =
        HardhatNode.start(
            contracts, HardhatNode.freePort(), Optional.empty(), dir.resolve("hardhat.log"));
    deployment = node.deploy(dir.resolve("deployment.json"), Map.of());
    admin = connect(0);
    worker = connect(1);
    owner = connect(2);
    admin
        .committee()
        .contract()
        .setDkgPhases(BigInteger.valueOf(12), BigInteger.valueOf(8), BigInteger.valueOf(8))
        .send();
    miner = Thread.ofVirtual().start(this::mine);
    for (int i = 10; i < 14; i++) {
      nodes.add(SecretNode.start(nodeConfig(i)));
    }
    admin.committee().setEpoch(1, nodes.stream().map(SecretNode::address).toList(), 3);
    await().atMost(Duration.ofSeconds(60)).until(() -> CommitteeKeys.active(admin).isPresent());
    key = CommitteeKeys.active(admin).orElseThrow();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> nodes.stream().allMatch(n -> n.currentKey().isPresent()));
    workerId = Fixtures.registerSimulatedWorker(worker, platform.publicKey());
    quotingApp = Javalin.create(c -> c.showJavalinBanner = false);
    quoting.routes(quotingApp);
    quotingApp.start("127.0.0.1", 0);
  }

  private ChainClient connect(int account) {
    return ChainClient.connect(
        deployment, Optional.of(Credentials.create(deployment.account(account).privateKey())));
  }

  private void mine() {
    // The DKG phases are counted in blocks: keep producing them as a real chain would.
    while (!Thread.currentThread().isInterrupted()) {
      try {
        node.rpc("evm_mine");
        Thread.sleep(150);
      } catch (InterruptedException | RuntimeException e) {
        return;
      }
    }
  }

  private SecretNodeConfig nodeConfig(int account) throws Exception {
    Path dep = dir.resolve("deployment.json");
    if (!Files.exists(dep)) {
      Json.strict().writeValue(dep.toFile(), deployment);
    }
    return new SecretNodeConfig(
        dep,
        dir.resolve("node-" + account),
        new SecretNodeConfig.Listen("127.0.0.1", 0),
        null,
        new SecretNodeConfig.Account(account, null),
        Secret.of("agent-it-" + account),
        new SecretNodeConfig.Release(true, null, null, null),
        new SecretNodeConfig.RateLimit(1000.0, 1000),
        new SecretNodeConfig.Dkg(true, true, 100L));
  }

  /** Creates a workload of the owner on the worker with this canonical spec. */
  long create(String specText, WorkloadKind kind) {
    return owner
        .cloud()
        .create(
            new CreateWorkload(
                workerId,
                kind,
                Set.of(TeeType.SIMULATED),
                false,
                0,
                0,
                new Resources(100, 64, 1, 0),
                kind == WorkloadKind.TASK ? BigInteger.ONE : BigInteger.ZERO,
                0,
                specText.getBytes(StandardCharsets.UTF_8),
                BigInteger.TEN.pow(17)));
  }

  /** Puts a secret of the owner (version 1) unless it exists. */
  void secret(String name, String value) {
    String account = owner.account().orElseThrow();
    if (owner.cloud().secret(account, name).exists()) {
      return;
    }
    SecretBinding b =
        new SecretBinding(
            BigInteger.valueOf(deployment.chainId()),
            Address.fromHex(deployment.address("Cloud")),
            Address.fromHex(account),
            name,
            1);
    owner
        .cloud()
        .putSecret(
            name,
            SecretClient.encrypt(key.key().groupKey(), b, value.getBytes(StandardCharsets.UTF_8))
                .encode());
  }

  /**
   * The agent config the worker would write for workload {@code id}, its files under {@code
   * instanceDir}.
   */
  ObjectNode config(long id, String specText, String token, Path instanceDir) {
    List<AgentConfig.Member> members =
        SecretClient.members(admin).stream()
            .map(m -> new AgentConfig.Member(m.index(), m.address(), m.endpoint()))
            .toList();
    ObjectNode c =
        TestConfigs.config(
            id,
            specText,
            "http://127.0.0.1:" + quotingApp.port() + QuotingService.PATH,
            token,
            members,
            instanceDir);
    c.putObject("network")
        .put("chainId", deployment.chainId())
        .put("cloud", deployment.address("Cloud"))
        .put("committee", deployment.address("Committee"));
    // A loaded machine (2 cores, other builds) can take seconds to answer a first request.
    ((ObjectNode) c.get("committee")).put("timeoutMillis", 20_000);
    c.putObject("retry").put("attempts", 3).put("delayMillis", 500);
    ((ObjectNode) c.get("committee"))
        .put("quorum", key.key().threshold())
        .put("groupKey", io.wetee.common.Hex.encode0x(key.key().groupKey().encode()));
    return c;
  }

  BigInteger chainId() {
    return BigInteger.valueOf(deployment.chainId());
  }

  Address cloud() {
    return Address.fromHex(deployment.address("Cloud"));
  }

  @Override
  public void close() {
    miner.interrupt();
    quotingApp.stop();
    nodes.forEach(SecretNode::close);
    admin.close();
    worker.close();
    owner.close();
    node.close();
  }
}
