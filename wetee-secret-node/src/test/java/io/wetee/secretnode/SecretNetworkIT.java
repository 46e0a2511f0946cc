package io.wetee.secretnode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wetee.attestation.SimulatedPlatform;
import io.wetee.chain.ChainClient;
import io.wetee.chain.Deployment;
import io.wetee.chain.Fixtures;
import io.wetee.chain.HardhatExtension;
import io.wetee.chain.HardhatNode;
import io.wetee.common.Hex;
import io.wetee.common.Secret;
import io.wetee.common.spec.WorkloadSpec;
import io.wetee.crypto.Address;
import io.wetee.crypto.Bytes32;
import io.wetee.crypto.Keccak;
import io.wetee.crypto.PrivateKey;
import io.wetee.crypto.ReportData;
import io.wetee.crypto.SecretBinding;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;

/**
 * Secret nodes (each with its own Javalin server, sealed store and chain client, in this JVM) run
 * the DKG over the real Committee contract on a Hardhat node and release secrets put on chain.
 */
@ExtendWith(HardhatExtension.class)
class SecretNetworkIT {
  @TempDir Path dir;
  final SecureRandom rnd = new SecureRandom();
  final List<SecretNode> nodes = new ArrayList<>();
  final List<AutoCloseable> closers = new ArrayList<>();
  final SecretClient client = SecretClient.create(Duration.ofSeconds(5));

  @AfterEach
  void stopAll() throws Exception {
    for (SecretNode n : nodes) {
      if (n != null) {
        n.close();
      }
    }
    for (AutoCloseable c : closers) {
      c.close();
    }
  }

  private ChainClient account(Deployment d, int i) {
    ChainClient c =
        ChainClient.connect(d, Optional.of(Credentials.create(d.account(i).privateKey())));
    closers.add(c);
    return c;
  }

  private void mineInBackground(HardhatNode node) {
    Thread t =
        Thread.ofVirtual()
            .start(
                () -> {
                  while (!Thread.currentThread().isInterrupted()) {
                    try {
                      node.rpc("evm_mine");
                      Thread.sleep(150);
                    } catch (InterruptedException e) {
                      return;
                    } catch (RuntimeException e) {
                      return;
                    }
                  }
                });
    closers.add(t::interrupt);
  }

  private SecretNode startNode(Deployment d, int i, ChainDkg.Behaviour behaviour) throws Exception {
    return startNode(d, i, behaviour, 0);
  }

  private SecretNode startNode(Deployment d, int i, ChainDkg.Behaviour behaviour, int port)
      throws Exception {
    Path deployment = dir.resolve("deployment.json");
    io.wetee.common.Json.strict().writeValue(deployment.toFile(), d);
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
    return SecretNode.start(c, Clock.systemUTC(), 1000, behaviour);
  }

  private CommitteeKeys.EpochPublicKey runDkg(
      ChainClient admin, long epoch, List<SecretNode> members, int q) {
    admin.committee().setEpoch(epoch, members.stream().map(SecretNode::address).toList(), q);
    return awaitKey(admin, epoch, members);
  }

  private CommitteeKeys.EpochPublicKey awaitKey(
      ChainClient admin, long epoch, List<SecretNode> members) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> CommitteeKeys.active(admin).filter(k -> k.epoch() == epoch).isPresent());
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                members.stream()
                    .allMatch(n -> n.currentKey().map(k -> k.epoch() == epoch).orElse(false)));
    return CommitteeKeys.of(admin, epoch).orElseThrow();
  }

  /** Dealer indices of the deals on the board for {@code epoch}. */
  private static List<Integer> dealers(ChainClient c, long epoch) throws Exception {
    org.web3j.protocol.core.methods.request.EthFilter f =
        new org.web3j.protocol.core.methods.request.EthFilter(
            org.web3j.protocol.core.DefaultBlockParameterName.EARLIEST,
            org.web3j.protocol.core.DefaultBlockParameterName.LATEST,
            c.deployment().address("Committee"));
    f.addSingleTopic(
        org.web3j.abi.EventEncoder.encode(io.wetee.chain.contracts.Committee.DKGDEAL_EVENT));
    f.addSingleTopic(
        "0x"
            + org.web3j.abi.TypeEncoder.encode(
                new org.web3j.abi.datatypes.generated.Uint64(epoch)));
    List<Integer> out = new ArrayList<>();
    for (org.web3j.protocol.core.methods.response.EthLog.LogResult<?> r :
        c.web3j().ethGetLogs(f).send().getLogs()) {
      if (r.get() instanceof org.web3j.protocol.core.methods.response.Log l) {
        out.add(
            io.wetee.chain.contracts.Committee.getDkgDealEventFromLog(l).dealer.intValueExact());
      }
    }
    return out.stream().sorted().toList();
  }

  /** A workload on worker 0 whose spec names a, b, c; its owner puts the three secrets. */
  private record Workload(long id, String specHash, SimulatedPlatform platform, String owner) {}

  private Workload deployWorkload(Deployment d, CommitteeKeys.EpochPublicKey key) {
    ChainClient worker = account(d, 1);
    SimulatedPlatform platform = SimulatedPlatform.generate(rnd);
    long workerId = Fixtures.registerSimulatedWorker(worker, platform.publicKey());
    ChainClient owner = account(d, 2);
    byte[] spec = WorkloadSpec.parseYaml(LocalCommittee.SPEC).canonicalJson();
    long id = Fixtures.createService(owner, workerId, spec);
    String ownerAddress = owner.account().orElseThrow();
    for (String name : List.of("a", "b", "c")) {
      SecretBinding b =
          new SecretBinding(
              BigInteger.valueOf(d.chainId()),
              Address.fromHex(d.address("Cloud")),
              Address.fromHex(ownerAddress),
              name,
              1);
      owner
          .cloud()
          .putSecret(
              name,
              SecretClient.encrypt(
                      key.key().groupKey(), b, ("it " + name).getBytes(StandardCharsets.UTF_8))
                  .encode());
    }
    return new Workload(id, Hex.encode0x(Keccak.keccak256(spec)), platform, ownerAddress);
  }

  private ReleaseOutcome release(Deployment d, ChainClient reader, Workload w, List<String> names) {
    PrivateKey instance = PrivateKey.generate(rnd);
    byte[] nonce = new byte[32];
    rnd.nextBytes(nonce);
    ReportData rd =
        new ReportData(
            BigInteger.valueOf(d.chainId()),
            Address.fromHex(d.address("Cloud")),
            w.id(),
            1,
            instance.address(),
            Bytes32.of(nonce));
    byte[] evidence =
        w.platform().report(Hex.decode(w.specHash()), rd.toBytes(), false, Instant.now());
    ReleaseRequest r =
        new ReleaseRequest(
            w.id(),
            1,
            Hex.encode0x(instance.publicKey().encode()),
            Hex.encode0x(nonce),
            Hex.encode0x(evidence),
            Instant.now().getEpochSecond(),
            names.stream().map(ReleaseRequest.SecretRef::named).toList());
    CommitteeKeys.EpochPublicKey key = CommitteeKeys.active(reader).orElseThrow();
    return client.release(
        SecretClient.Network.of(d), r, instance, key.key(), SecretClient.members(reader));
  }

  private static String text(ReleaseOutcome o, String name) {
    assertThat(o).as(String.valueOf(o)).isInstanceOf(ReleaseOutcome.Released.class);
    return new String(((ReleaseOutcome.Released) o).value(name), StandardCharsets.UTF_8);
  }

  @Test
  void dkgDisqualifiesABadDealerThenReleasesSurviveStopsAndARestartFromTheSealedStore(
      HardhatNode node, Deployment d) throws Exception {
    ChainClient admin = account(d, 0);
    admin
        .committee()
        .contract()
        .setDkgPhases(BigInteger.valueOf(12), BigInteger.valueOf(8), BigInteger.valueOf(8))
        .send();
    mineInBackground(node);
    for (int i = 10; i < 13; i++) {
      nodes.add(startNode(d, i, ChainDkg.Behaviour.HONEST));
    }
    nodes.add(startNode(d, 13, ChainDkg.Behaviour.BAD_DEALS));
    CommitteeKeys.EpochPublicKey key = runDkg(admin, 1, nodes, 3);
    assertThat(key.key().isConsistent()).isTrue();
    assertThat(nodes.get(0).currentKey().orElseThrow().key()).isEqualTo(key.key());

    Workload w = deployWorkload(d, key);
    ReleaseOutcome all = release(d, admin, w, List.of("a", "b", "c"));
    assertThat(text(all, "a")).isEqualTo("it a");
    assertThat(text(all, "c")).isEqualTo("it c");
    // the verdicts are good enough for the chain: q distinct current members signed the same struct
    ReleaseOutcome.Released r = (ReleaseOutcome.Released) all;
    assertThat(admin.committee().verify(r.verdict(), r.signatures())).isTrue();

    int port1 = nodes.get(0).port();
    nodes.get(0).close();
    assertThat(text(release(d, admin, w, List.of("b")), "b")).isEqualTo("it b");
    nodes.get(1).close();
    ReleaseOutcome failed = release(d, admin, w, List.of("b"));
    assertThat(failed).isInstanceOf(ReleaseOutcome.Failed.class);
    assertThat(((ReleaseOutcome.Failed) failed).message())
        .contains("2 valid answers, 3 needed", "unreachable");

    // Restart member 1 from its sealed store (same data dir and port): it serves again, and with
    // members 1, 3 and 4 the release works although member 2 is still down.
    nodes.set(0, startNode(d, 10, ChainDkg.Behaviour.HONEST, port1));
    assertThat(nodes.get(0).currentKey().orElseThrow().key()).isEqualTo(key.key());
    assertThat(text(release(d, admin, w, List.of("a")), "a")).isEqualTo("it a");
    Map<String, String> health = client.health(SecretClient.members(admin));
    assertThat(health.values()).containsExactly("ok", "unreachable", "ok", "ok");
  }

  @Test
  void reshareToANewMemberSetKeepsTheGroupKeyAndOldSecretsStillRelease(
      HardhatNode node, Deployment d) throws Exception {
    ChainClient admin = account(d, 0);
    admin
        .committee()
        .contract()
        .setDkgPhases(BigInteger.valueOf(12), BigInteger.valueOf(8), BigInteger.valueOf(8))
        .send();
    mineInBackground(node);
    for (int i = 10; i < 14; i++) {
      nodes.add(startNode(d, i, ChainDkg.Behaviour.HONEST));
    }
    CommitteeKeys.EpochPublicKey first = runDkg(admin, 1, nodes, 3);
    Workload w = deployWorkload(d, first);

    nodes.add(startNode(d, 14, ChainDkg.Behaviour.HONEST));
    List<SecretNode> next = nodes.subList(1, 5);
    admin.committee().setEpoch(2, next.stream().map(SecretNode::address).toList(), 3);
    // Restart a dealer mid-run, once its deal is on the board: rebuilt from its sealed seed, it
    // carries on (complaint check, confirmation) without dealing anything different.
    await().atMost(Duration.ofSeconds(30)).until(() -> dealers(admin, 2).contains(2));
    int port = nodes.get(1).port();
    nodes.get(1).close();
    nodes.set(1, startNode(d, 11, ChainDkg.Behaviour.HONEST, port));
    CommitteeKeys.EpochPublicKey second = awaitKey(admin, 2, next);
    assertThat(dealers(admin, 2)).containsExactly(1, 2, 3, 4);
    assertThat(second.key().groupKey()).isEqualTo(first.key().groupKey());
    assertThat(second.key().verificationKeys()).isNotEqualTo(first.key().verificationKeys());
    assertThat(second.key().isConsistent()).isTrue();

    nodes.get(0).close(); // the member that left is not needed
    nodes.set(0, null);
    nodes.get(1).close(); // nor one of the new four: 3 of 4 suffice
    ReleaseOutcome out = release(d, admin, w, List.of("a", "b"));
    assertThat(text(out, "a")).isEqualTo("it a");
    assertThat(text(out, "b")).isEqualTo("it b");
  }
}
