package io.wetee.cli.devnet;

import static io.wetee.cli.devnet.FlowsIt.awaitShow;
import static io.wetee.cli.devnet.FlowsIt.deploy;
import static io.wetee.cli.devnet.FlowsIt.deposit;
import static io.wetee.cli.devnet.FlowsIt.get;
import static io.wetee.cli.devnet.FlowsIt.logs;
import static io.wetee.cli.devnet.FlowsIt.ok;
import static io.wetee.cli.devnet.FlowsIt.plainService;
import static io.wetee.cli.devnet.FlowsIt.revertName;
import static io.wetee.cli.devnet.FlowsIt.settledBlocks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.wetee.chain.ChainClient;
import io.wetee.chain.LevelInfo;
import io.wetee.chain.Resources;
import io.wetee.chain.WorkloadInfo;
import io.wetee.chain.contracts.Cloud;
import io.wetee.cli.CliRun;
import io.wetee.cli.app.WorkerLog;
import io.wetee.common.Json;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue #5's service flows beyond {@link AppDevnetIT}, on one devnet: exhaustion (stopped by the
 * worker after its final settlement, or by a third account) and recharge with every wei accounted
 * for; the owner's list, metrics and logs (strangers refused) and the public attestation checked
 * with {@code wetee attest verify}. A second worker ({@code wetee worker run} as its own process,
 * account 16, a cheaper level, 1 core) takes the deploys without {@code --worker}; it proves
 * cheapest-worker choice and capacity refusals (CLI, contract, worker), verdict renewal (its agents
 * renew long before expiry: {@code reattestBeforeSeconds} 3590 of the committee's 3600 s), its log
 * on stderr and in its data directory, and that a program it runs sees none of its files.
 */
class FlowsDevnetIT {
  static AppNetwork net;
  static WorkerProcess cheap;
  static long cheapId;
  static Path cheapDir;

  @BeforeAll
  static void up() throws Exception {
    net = new AppNetwork();
    Path value = net.dir.resolve("api-key.txt");
    Files.writeString(value, "flows-secret");
    ok(net.cli(2, "secret", "put", "api-key", "--value-file", value.toString()));
    try (ChainClient admin = net.chain(0)) {
      LevelInfo l0 = admin.subnet().level(0);
      BigInteger two = BigInteger.TWO;
      admin
          .subnet()
          .setLevel(
              new LevelInfo(
                  2,
                  l0.priceCpu().divide(two),
                  l0.priceMemory().divide(two),
                  l0.priceDisk().divide(two),
                  l0.priceGpu().divide(two),
                  l0.minStake(),
                  l0.max()));
    }
    cheapDir = net.dir.resolve("cheap-worker");
    Files.createDirectories(cheapDir);
    Path key = cheapDir.resolve("worker.key");
    Files.writeString(key, net.deployment.account(16).privateKey());
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    cheap =
        new WorkerProcess(
            cheapDir,
            """
            deployment: %s
            dataDir: data
            account: { keyFile: worker.key }
            register: { name: cheap, level: 2, capacity: { cpu: 1000, memory: 1024, disk: 10 } }
            listen: { host: 127.0.0.1, port: 0 }
            proxy: { portFrom: 21600, portTo: 21699 }
            agent: { reattestBeforeSeconds: 3590 }
            passphrase: flows-it
            chain: { pollMillis: 200 }
            """
                .formatted(net.deploymentFile));
    cheapId = cheap.start();
  }

  @AfterAll
  static void down() throws Exception {
    if (cheap != null) {
      cheap.close();
    }
    if (net != null) {
      net.close();
    }
  }

  static String devnetWorker() {
    return Long.toString(net.worker.workerId());
  }

  static void awaitNoInstance(long id) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                net.worker.runtime().list().stream()
                    .noneMatch(s -> s.workloadId().equals(Long.toString(id))));
  }

  // ------------------------------------------------------------------ exhaustion and recharge

  @Test
  void serviceWhoseDepositRunsOutIsStoppedByItsWorkerAfterTheFinalSettlementToTheWei()
      throws Exception {
    int owner = 3;
    try (ChainClient c = net.chain(owner)) {
      BigInteger price = c.subnet().level(0).pricePerBlock(new Resources(250, 128, 1, 0));
      BigInteger deposit = price.multiply(BigInteger.valueOf(25)); // 2.5 settle intervals
      long id =
          deploy(
              net,
              owner,
              plainService(net.dir),
              "--worker",
              devnetWorker(),
              "--deposit",
              deposit + "wei");
      awaitShow(net, owner, "app", id, "running");
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> c.cloud().workload(id).status() == WorkloadInfo.Status.STOPPED);
      var stopped =
          Cloud.getWorkloadStoppedEventFromLog(
              logs(net, c, Cloud.WORKLOADSTOPPED_EVENT, id).get(0));
      assertThat(stopped.byOwner).as("stopped by the worker, not the owner").isFalse();
      long settled = settledBlocks(net, c, id);
      assertThat(settled).as("at least one settlement before").isGreaterThanOrEqualTo(10);
      BigInteger earned = price.multiply(BigInteger.valueOf(settled)).min(deposit);
      assertThat(c.cloud().claimable(id)).isEqualTo(earned);
      assertThat(stopped.refund).isEqualTo(deposit.subtract(earned));
      assertThat(stopped.refund)
          .as("what was left could not pay another interval")
          .isLessThan(price.multiply(BigInteger.TEN));
      assertThat(c.cloud().refunds(c.account().orElseThrow())).isEqualTo(stopped.refund);

      BigInteger before = FlowsIt.balance(c, c.account().orElseThrow());
      var receipt = c.cloud().withdrawRefund();
      assertThat(FlowsIt.balance(c, c.account().orElseThrow()))
          .isEqualTo(before.add(stopped.refund).subtract(FlowsIt.gasCost(receipt)));
      assertThat(c.cloud().refunds(c.account().orElseThrow())).isZero();
      awaitNoInstance(id);
      assertThat(
              net.json(net.cli(owner, "app", "show", Long.toString(id), "--json"))
                  .get("status")
                  .asText())
          .isEqualTo("stopped");
    }
  }

  @Test
  void serviceThatCannotPayAnIntervalIsStoppedByAThirdAccountAndTheOwnerGetsTheRest()
      throws Exception {
    int owner = 4;
    try (ChainClient c = net.chain(owner);
        ChainClient stranger = net.chain(7)) {
      BigInteger price = c.subnet().level(0).pricePerBlock(new Resources(250, 128, 1, 0));
      BigInteger deposit = price.multiply(BigInteger.valueOf(9)); // less than one interval
      long id =
          deploy(
              net,
              owner,
              plainService(net.dir),
              "--worker",
              devnetWorker(),
              "--deposit",
              deposit + "wei");
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> c.cloud().workload(id).status() == WorkloadInfo.Status.RUNNING);
      JsonNode stop =
          net.json(net.cli(7, "app", "stop", Long.toString(id), "--exhausted", "--json"));
      var stopped =
          Cloud.getWorkloadStoppedEventFromLog(
              logs(net, c, Cloud.WORKLOADSTOPPED_EVENT, id).get(0));
      assertThat(stopped.byOwner).isFalse();
      assertThat(new BigInteger(stop.get("refund").asText())).isEqualTo(stopped.refund);
      BigInteger earned =
          price.multiply(BigInteger.valueOf(settledBlocks(net, c, id))).min(deposit);
      assertThat(stopped.refund).isEqualTo(deposit.subtract(earned));
      assertThat(c.cloud().claimable(id)).isEqualTo(earned);
      assertThat(c.cloud().refunds(c.account().orElseThrow())).isEqualTo(stopped.refund);
      assertThat(stranger.cloud().refunds(stranger.account().orElseThrow())).isZero();
      // The owner withdraws it with the CLI.
      JsonNode refund = net.json(net.cli(owner, "app", "refund", "--json"));
      assertThat(new BigInteger(refund.get("refund").asText())).isEqualTo(stopped.refund);
      assertThat(c.cloud().refunds(c.account().orElseThrow())).isZero();
      assertThat(net.cli(owner, "app", "refund").exitCode()).as("nothing left").isEqualTo(2);
      awaitNoInstance(id);
    }
  }

  @Test
  void rechargeBeforeExhaustionKeepsTheServiceRunningAndSettlingAndTheStopRefundsTheRest()
      throws Exception {
    int owner = 5;
    try (ChainClient c = net.chain(owner);
        ChainClient stranger = net.chain(7)) {
      BigInteger price = c.subnet().level(0).pricePerBlock(new Resources(250, 128, 1, 0));
      BigInteger deposit = price.multiply(BigInteger.valueOf(25));
      BigInteger more = price.multiply(BigInteger.valueOf(100));
      long id =
          deploy(
              net,
              owner,
              plainService(net.dir),
              "--worker",
              devnetWorker(),
              "--deposit",
              deposit + "wei");
      String url = awaitShow(net, owner, "app", id, "running").get("url").asText();
      String instance = c.cloud().workload(id).instance();
      CliRun recharge = ok(net.cli(owner, "app", "recharge", Long.toString(id), more + "wei"));
      assertThat(recharge.out()).contains("recharged " + id);
      assertThat(revertName(() -> stranger.cloud().stopExhausted(id))).isEqualTo("NotExhausted");
      CliRun early = net.cli(7, "app", "stop", Long.toString(id), "--exhausted");
      assertThat(early.exitCode()).isEqualTo(3);
      assertThat(early.err()).contains("NotExhausted");
      // 25 blocks of deposit would have ended it after about 20 blocks; it keeps settling.
      await().atMost(Duration.ofSeconds(60)).until(() -> settledBlocks(net, c, id) >= 35);
      WorkloadInfo w = c.cloud().workload(id);
      assertThat(w.status()).isEqualTo(WorkloadInfo.Status.RUNNING);
      assertThat(w.instance()).as("the same instance all along").isEqualTo(instance);
      assertThat(get(url)).startsWith("hello from WeTEE v1");

      JsonNode stop = net.json(net.cli(owner, "app", "stop", Long.toString(id), "--json"));
      long settled = settledBlocks(net, c, id);
      assertThat(new BigInteger(stop.get("refund").asText()))
          .isEqualTo(deposit.add(more).subtract(price.multiply(BigInteger.valueOf(settled))));
      awaitNoInstance(id);
    }
  }

  // ------------------------------------------------------------------ owner reads, attestation

  @Test
  void ownerListsReadsMetricsAndLogsStrangersAreRefusedAndAnyoneVerifiesTheAttestation()
      throws Exception {
    int owner = 2;
    long id = deploy(net, owner, FlowsIt.example("hello-service"), "--worker", devnetWorker());
    String url = awaitShow(net, owner, "app", id, "running").get("url").asText();
    get(url + "probe-for-the-logs");

    JsonNode list = net.json(net.cli(owner, "app", "list", "--json"));
    assertThat(list.findValuesAsText("workloadId")).contains(Long.toString(id));
    JsonNode mine = null;
    for (JsonNode n : list) {
      if (n.get("workloadId").asLong() == id) {
        mine = n;
      }
    }
    assertThat(mine).isNotNull();
    assertThat(mine.get("status").asText()).isEqualTo("running");
    assertThat(mine.get("url").asText()).isEqualTo(url);
    assertThat(net.json(net.cli(3, "app", "list", "--json")).findValuesAsText("workloadId"))
        .doesNotContain(Long.toString(id));

    JsonNode metrics =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> net.json(net.cli(owner, "app", "metrics", Long.toString(id), "--json")),
                m -> m.path("samples").size() > 0);
    JsonNode sample = metrics.get("samples").get(0);
    assertThat(sample.get("rssBytes").asLong()).isPositive();
    assertThat(sample.get("processes").asInt()).isPositive();
    assertThat(sample.has("cpuMillis")).isTrue();
    CliRun text = ok(net.cli(owner, "app", "metrics", Long.toString(id)));
    assertThat(text.out()).contains("rss ").contains("cpu ");
    CliRun strangerMetrics = net.cli(3, "app", "metrics", Long.toString(id));
    assertThat(strangerMetrics.exitCode()).isEqualTo(3);
    assertThat(strangerMetrics.err()).contains("not-owner");

    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> net.cli(owner, "app", "logs", Long.toString(id)).out(),
            s -> s.contains("GET /probe-for-the-logs"));
    assertThat(ok(net.cli(owner, "app", "logs", Long.toString(id))).out())
        .contains("hello-service listening");
    CliRun strangerLogs = net.cli(3, "app", "logs", Long.toString(id));
    assertThat(strangerLogs.exitCode()).isEqualTo(3);
    assertThat(strangerLogs.err()).contains("not-owner");

    JsonNode att = net.json(net.cli(7, "app", "attestation", Long.toString(id)));
    try (ChainClient c = net.chain(7)) {
      WorkloadInfo w = c.cloud().workload(id);
      assertThat(att.get("instance").asText()).isEqualToIgnoringCase(w.instance());
      assertThat(att.get("specHash").asText()).isEqualToIgnoringCase(w.specHash());
      assertThat(att.get("simulated").asBoolean()).isTrue();
      // The same document through the service's public URL (the worker's proxy).
      JsonNode viaProxy = Json.lenient().readTree(get(url + ".well-known/wetee/attestation"));
      assertThat(viaProxy.get("reportData")).isEqualTo(att.get("reportData"));
      Path evidence = net.dir.resolve("evidence-" + id + ".hex");
      Files.writeString(evidence, att.get("evidence").get("quote").asText());
      // Anyone's policy: SIMULATED allowed (devnet), this instance's report_data, this spec.
      Path policy = net.dir.resolve("policy-" + id + ".yaml");
      Files.writeString(
          policy,
          """
          allowSimulated: true
          reportData: "%s"
          simulated: ["%s"]
          """
              .formatted(strip(att.get("reportData").asText()), strip(w.specHash())));
      CliRun verify =
          net.cli(
              7, "attest", "verify", evidence.toString(), "--policy", policy.toString(), "--json");
      assertThat(verify.exitCode()).as(verify.err() + verify.out()).isZero();
      JsonNode report = Json.lenient().readTree(verify.out());
      assertThat(report.get("verified").asBoolean()).isTrue();
      assertThat(report.get("teeType").asText()).isEqualTo("SIMULATED");
      assertThat(strip(report.get("reportData").asText()))
          .isEqualToIgnoringCase(strip(att.get("reportData").asText()));
      // The platform key that signed the evidence is the one the worker registered on chain.
      byte[] platform = io.wetee.common.Hex.decode(report.get("platformId").asText());
      assertThat(c.subnet().platformWorker(io.wetee.attestation.TeeType.SIMULATED, platform))
          .contains(net.worker.workerId());
      // Another instance's report_data is refused, and so is a tampered quote.
      Files.writeString(
          policy,
          """
          allowSimulated: true
          reportData: "%s"
          """
              .formatted("ab".repeat(64)));
      assertThat(
              net.cli(7, "attest", "verify", evidence.toString(), "--policy", policy.toString())
                  .exitCode())
          .isEqualTo(1);
      Files.writeString(policy, "allowSimulated: true");
      String quote = att.get("evidence").get("quote").asText();
      int at = quote.length() - 10;
      char flipped = quote.charAt(at) == '0' ? '1' : '0';
      Files.writeString(evidence, quote.substring(0, at) + flipped + quote.substring(at + 1));
      assertThat(
              net.cli(7, "attest", "verify", evidence.toString(), "--policy", policy.toString())
                  .exitCode())
          .isEqualTo(1);
    }
    // The devnet's worker logs what it decided where the provider can read it.
    assertThat(Files.readString(net.dir.resolve("worker").resolve(WorkerLog.FILE)))
        .contains("workload " + id + " v1: started on chain with instance");
    ok(net.cli(owner, "app", "stop", Long.toString(id)));
  }

  // ------------------------------------------------------------------ placement and capacity

  @Test
  void deployWithoutWorkerPicksTheCheapestWorkerWithCapacityAndWorkloadsOverCapacityAreRefused()
      throws Exception {
    int owner = 6;
    Path plain = plainService(net.dir);
    Path big = net.dir.resolve("big-service.yaml");
    Files.writeString(big, Files.readString(plain).replace("cpu: 250m", "cpu: 1000m"));
    try (ChainClient c = net.chain(owner);
        ChainClient provider = net.chain(16)) {
      Resources small = new Resources(250, 128, 1, 0);
      assertThat(c.subnet().level(2).pricePerBlock(small))
          .isLessThan(c.subnet().level(0).pricePerBlock(small));
      // Cheapest active worker with capacity: the second worker's level 2.
      long cheapOne = deploy(net, owner, plain);
      JsonNode show = awaitShow(net, owner, "app", cheapOne, "running");
      assertThat(show.get("workerId").asLong()).isEqualTo(cheapId);
      assertThat(c.cloud().priceOf(cheapOne).perBlock())
          .isEqualTo(c.subnet().level(2).pricePerBlock(small));
      assertThat(get(show.get("url").asText())).startsWith("hello from WeTEE v1");

      // 1000m does not fit what is left of its 1000m: refused before any transaction ...
      BigInteger nonce = FlowsIt.nonce(c);
      CliRun refused =
          net.cli(owner, "app", "deploy", big.toString(), "--worker", Long.toString(cheapId));
      assertThat(refused.exitCode()).isEqualTo(2);
      assertThat(refused.err()).contains("worker " + cheapId + " has no capacity left");
      assertThat(FlowsIt.nonce(c)).isEqualTo(nonce);
      // ... and by the contract, which reserves capacity, when sent past the CLI ...
      byte[] spec =
          io.wetee.common.spec.WorkloadSpec.parseYaml(
                  Files.readString(plain)
                      .replace("./app", "file:///nowhere.tar.gz#sha256=" + "0".repeat(64)))
              .canonicalJson();
      assertThat(
              revertName(
                  () ->
                      c.cloud()
                          .create(
                              new io.wetee.chain.CreateWorkload(
                                  cheapId,
                                  io.wetee.chain.WorkloadKind.SERVICE,
                                  java.util.Set.of(io.wetee.attestation.TeeType.SIMULATED),
                                  false,
                                  2,
                                  0,
                                  new Resources(1000, 128, 1, 0),
                                  BigInteger.ZERO,
                                  0,
                                  spec,
                                  BigInteger.TEN.pow(16)))))
          .isEqualTo("InsufficientCapacity");
      // ... and without --worker it goes to the worker that still has room (the devnet's).
      JsonNode elsewhere = net.json(net.cli(owner, "app", "deploy", big.toString(), "--json"));
      assertThat(elsewhere.get("workerId").asLong()).isEqualTo(net.worker.workerId());
      ok(net.cli(owner, "app", "stop", elsewhere.get("workloadId").asText()));

      // The worker checks too: its registration on chain grows to 4 cores, but the worker runs
      // against the 1 core it registered, so the chain's reservation alone does not start it.
      io.wetee.chain.WorkerInfo wi = provider.subnet().worker(cheapId);
      FlowsIt.setCpu(provider, cheapId, wi, 4000);
      try {
        long over = deploy(net, owner, big, "--worker", Long.toString(cheapId));
        JsonNode failed = awaitShow(net, owner, "app", over, "failed");
        assertThat(failed.get("worker").get("reason").asText()).isEqualTo("over-capacity");
        assertThat(failed.get("worker").get("detail").asText())
            .contains("would use cpu 1250m")
            .contains("registered 1000m");
        assertThat(c.cloud().workload(over).status()).isEqualTo(WorkloadInfo.Status.PENDING);
        JsonNode stop = net.json(net.cli(owner, "app", "stop", Long.toString(over), "--json"));
        assertThat(new BigInteger(stop.get("refund").asText())).isEqualTo(deposit(net, c, over));
      } finally {
        FlowsIt.setCpu(provider, cheapId, wi, 1000);
      }
      ok(net.cli(owner, "app", "stop", Long.toString(cheapOne)));
    }
  }

  // ------------------------------------------------------------------ verdict renewal, worker log

  @Test
  void agentRenewsItsVerdictsBeforeTheyExpireTheWorkerSubmitsTheRenewalAndLogsIt()
      throws Exception {
    int owner = 8;
    long id = deploy(net, owner, plainService(net.dir), "--worker", Long.toString(cheapId));
    String url = awaitShow(net, owner, "app", id, "running").get("url").asText();
    try (ChainClient c = net.chain(owner)) {
      var started = Cloud.getStartedEventFromLog(logs(net, c, Cloud.STARTED_EVENT, id).get(0));
      var renewed =
          await()
              .atMost(Duration.ofSeconds(60))
              .until(() -> logs(net, c, Cloud.REATTESTED_EVENT, id), l -> !l.isEmpty())
              .get(0);
      var event = Cloud.getReattestedEventFromLog(renewed);
      assertThat(event.instance).isEqualToIgnoringCase(started.instance);
      assertThat(event.expiresAt).isGreaterThan(started.expiresAt);
      WorkloadInfo w = c.cloud().workload(id);
      assertThat(w.verdictExpiresAt()).isGreaterThanOrEqualTo(event.expiresAt.longValueExact());
      assertThat(w.instance()).isEqualToIgnoringCase(started.instance);
      // The public attestation carries a verdict at least as fresh as the chain's.
      JsonNode att = Json.lenient().readTree(get(url + ".well-known/wetee/attestation"));
      assertThat(att.get("verdict").get("expiresAt").asLong())
          .isGreaterThanOrEqualTo(event.expiresAt.longValueExact());
      // Settlement goes on under the renewed verdicts.
      long renewedAt = renewed.getBlockNumber().longValueExact();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  logs(net, c, Cloud.SETTLED_EVENT, id).stream()
                      .anyMatch(l -> l.getBlockNumber().longValueExact() > renewedAt));
    }
    // wetee worker run logs its decisions on stderr and in its data directory.
    String started = "workload " + id + " v1: started on chain with instance";
    String renewal = "workload " + id + ": verdicts renewed until";
    await().atMost(Duration.ofSeconds(10)).until(() -> cheap.output().contains(renewal));
    assertThat(cheap.output()).contains(started);
    String file = Files.readString(cheap.dataDir().resolve(WorkerLog.FILE));
    assertThat(file).contains(started).contains(renewal);
    ok(net.cli(owner, "app", "stop", Long.toString(id)));
  }

  // ------------------------------------------------------------------ isolation

  @Test
  void programDeployedThroughTheWorkerCannotReadItsKeysDataOrAnotherWorkloadsDirectory()
      throws Exception {
    int owner = 9;
    long other = deploy(net, owner, plainService(net.dir), "--worker", Long.toString(cheapId));
    awaitShow(net, owner, "app", other, "running");
    Path data = cheap.dataDir();
    Path otherWork;
    try (var s = Files.list(data.resolve("runtime/instances"))) {
      otherWork =
          s.filter(p -> p.getFileName().toString().startsWith("w" + other + "-"))
              .findFirst()
              .orElseThrow()
              .resolve("work");
    }
    java.util.List<Path> secrets =
        java.util.List.of(
            cheapDir.resolve("worker.key"),
            data.resolve("platform.sealed"),
            data.resolve("state"),
            data,
            otherWork,
            otherWork.resolve("agent.json"),
            net.dir.resolve("worker").resolve("platform.sealed"),
            net.deploymentFile);
    for (Path p : secrets) {
      assertThat(p).as("exists on the host").exists();
    }
    Path probeDir = net.dir.resolve("probe");
    Files.createDirectories(probeDir.resolve("app"));
    try (var in = FlowsDevnetIT.class.getResourceAsStream("probe.py")) {
      Files.copy(in, probeDir.resolve("app/probe.py"));
    }
    String paths =
        String.join(":", secrets.stream().map(Path::toString).toList()) + ":/app/probe.py:/work";
    Files.writeString(
        probeDir.resolve("wetee.yaml"),
        """
        name: probe
        kind: service
        tee: { types: [SIMULATED] }
        containers:
          - name: probe
            image: ./app
            command: [python3, probe.py]
            env: { PROBE_PATHS: "%s" }
            ports: [{ port: 8080, protocol: http, public: true }]
            resources: { cpu: 250m, memory: 64Mi, disk: 1Gi }
        """
            .formatted(paths));
    long probe =
        deploy(net, owner, probeDir.resolve("wetee.yaml"), "--worker", Long.toString(cheapId));
    String url = awaitShow(net, owner, "app", probe, "running").get("url").asText();
    JsonNode seen = Json.lenient().readTree(get(url));
    for (Path p : secrets) {
      assertThat(seen.get(p.toString()).asText()).as(p.toString()).isEqualTo("ENOENT");
    }
    // Controls: the probe does read its own program and work directory.
    assertThat(seen.get("/app/probe.py").asText()).startsWith("read ");
    assertThat(seen.get("/work").asText()).startsWith("listed ");
    assertThat(ok(net.cli(owner, "app", "logs", Long.toString(probe))).out())
        .contains("probe: " + otherWork + " ENOENT");
    ok(net.cli(owner, "app", "stop", Long.toString(probe)));
    ok(net.cli(owner, "app", "stop", Long.toString(other)));
  }

  // ------------------------------------------------------------------ tasks

  @Test
  void taskEveryEightBlocksRunsAgainEachRunIsPaidAndStopEndsTheScheduleWithARefund()
      throws Exception {
    int owner = 1;
    BigInteger runPrice = BigInteger.valueOf(7_000_000_000_000L);
    BigInteger deposit = runPrice.multiply(BigInteger.valueOf(20));
    long id =
        net.json(
                net.cli(
                    owner,
                    "task",
                    "run",
                    FlowsIt.task(net, "every-8", 8).toString(),
                    "--worker",
                    devnetWorker(),
                    "--run-price",
                    runPrice + "wei",
                    "--deposit",
                    deposit + "wei",
                    "--json"))
            .get("workloadId")
            .asLong();
    try (ChainClient c = net.chain(owner)) {
      await().atMost(Duration.ofSeconds(60)).until(() -> c.cloud().workload(id).nextRunId() >= 2);
      var done = FlowsIt.runs(net, c, id);
      assertThat(done).hasSizeGreaterThanOrEqualTo(2);
      for (int i = 0; i < done.size(); i++) {
        var r = done.get(i);
        assertThat(r.runId.longValueExact()).isEqualTo(i);
        assertThat(r.exitCode.intValueExact()).isZero();
        assertThat(r.amount).isEqualTo(runPrice);
        // The next run keeps the cadence: 8 blocks after this run was due, or 8 blocks after it
        // completed when that is later (Cloud._payRun).
        var scheduled = logs(net, c, Cloud.RUNSCHEDULED_EVENT, id);
        var next =
            scheduled.stream()
                .filter(l -> l.getTransactionHash().equals(r.log.getTransactionHash()))
                .map(Cloud::getRunScheduledEventFromLog)
                .findFirst()
                .orElseThrow();
        final long run = i;
        // Run 0 is due at once: Cloud stores nextRunAt 0 for it (its RunScheduled event names the
        // creation block), so its successor is always 8 blocks after its completion.
        BigInteger due =
            run == 0
                ? BigInteger.ZERO
                : scheduled.stream()
                    .map(Cloud::getRunScheduledEventFromLog)
                    .filter(e -> e.runId.longValueExact() == run)
                    .reduce((a, b) -> b)
                    .orElseThrow()
                    .atBlock;
        BigInteger eight = BigInteger.valueOf(8);
        BigInteger completed = r.log.getBlockNumber();
        BigInteger expected =
            due.add(eight).compareTo(completed) > 0 ? due.add(eight) : completed.add(eight);
        assertThat(next.runId.longValueExact()).isEqualTo(i + 1);
        assertThat(next.atBlock).isEqualTo(expected);
        assertThat(r.log.getBlockNumber()).isGreaterThanOrEqualTo(due);
      }
      // Run 1 was not completed before it was due (8 blocks after run 0 was due, at the least).
      assertThat(FlowsIt.runs(net, c, id).get(1).log.getBlockNumber().longValueExact())
          .isGreaterThanOrEqualTo(firstDue(net, c, id) + 8);

      JsonNode list = net.json(net.cli(owner, "task", "list", "--json"));
      assertThat(list.findValuesAsText("workloadId")).contains(Long.toString(id));
      JsonNode show = net.json(net.cli(owner, "task", "show", Long.toString(id), "--json"));
      assertThat(show.get("kind").asText()).isEqualTo("task");
      assertThat(show.get("worker").get("lastExitCode").asInt()).isZero();
      assertThat(show.get("worker").get("lastRunId").asLong()).isGreaterThanOrEqualTo(1);
      assertThat(ok(net.cli(owner, "task", "logs", Long.toString(id))).out())
          .contains("wrote result sha256");
      CliRun stranger = net.cli(3, "task", "logs", Long.toString(id));
      assertThat(stranger.exitCode()).isEqualTo(3);
      assertThat(stranger.err()).contains("not-owner");

      JsonNode stop = net.json(net.cli(owner, "task", "stop", Long.toString(id), "--json"));
      long paid = FlowsIt.runs(net, c, id).size();
      assertThat(new BigInteger(stop.get("refund").asText()))
          .isEqualTo(deposit.subtract(runPrice.multiply(BigInteger.valueOf(paid))));
      long after = c.blockNumber();
      await().atMost(Duration.ofSeconds(20)).until(() -> c.blockNumber() >= after + 12);
      assertThat(FlowsIt.runs(net, c, id)).as("no run after the stop").hasSize((int) paid);
      awaitNoInstance(id);
    }
  }

  @Test
  void ownerRerunsAOnceTaskWhichRunsAgainAndIsPaidAndAStrangerCannot() throws Exception {
    int owner = 2;
    BigInteger runPrice = BigInteger.valueOf(5_000_000_000_000L);
    BigInteger deposit = runPrice.multiply(BigInteger.TEN);
    long id =
        net.json(
                net.cli(
                    owner,
                    "task",
                    "run",
                    FlowsIt.task(net, "once", 0).toString(),
                    "--worker",
                    devnetWorker(),
                    "--run-price",
                    runPrice + "wei",
                    "--deposit",
                    deposit + "wei",
                    "--json"))
            .get("workloadId")
            .asLong();
    try (ChainClient c = net.chain(owner)) {
      await().atMost(Duration.ofSeconds(60)).until(() -> c.cloud().workload(id).nextRunId() == 1);
      long settleFor = c.blockNumber() + 6;
      await().atMost(Duration.ofSeconds(10)).until(() -> c.blockNumber() >= settleFor);
      assertThat(FlowsIt.runs(net, c, id)).as("a once task runs once").hasSize(1);

      CliRun stranger = net.cli(3, "task", "rerun", Long.toString(id));
      assertThat(stranger.exitCode()).isEqualTo(3);
      assertThat(stranger.err()).contains("NotWorkloadOwner");
      ok(net.cli(owner, "task", "rerun", Long.toString(id)));
      await().atMost(Duration.ofSeconds(60)).until(() -> c.cloud().workload(id).nextRunId() == 2);
      var done = FlowsIt.runs(net, c, id);
      assertThat(done).hasSize(2);
      assertThat(done.get(1).runId.longValueExact()).isEqualTo(1);
      assertThat(done.get(1).exitCode.intValueExact()).isZero();
      assertThat(done.get(1).amount).isEqualTo(runPrice);
      assertThat(c.cloud().workload(id).escrow())
          .isEqualTo(deposit.subtract(runPrice.multiply(BigInteger.TWO)));
      JsonNode stop = net.json(net.cli(owner, "task", "stop", Long.toString(id), "--json"));
      assertThat(new BigInteger(stop.get("refund").asText()))
          .isEqualTo(deposit.subtract(runPrice.multiply(BigInteger.TWO)));
    }
  }

  static String strip(String hex) {
    return hex.startsWith("0x") ? hex.substring(2) : hex;
  }

  /** The block run 0 of the task was first due at. */
  private static long firstDue(AppNetwork net, ChainClient c, long id) {
    return logs(net, c, Cloud.RUNSCHEDULED_EVENT, id).stream()
        .map(Cloud::getRunScheduledEventFromLog)
        .filter(e -> e.runId.signum() == 0)
        .findFirst()
        .orElseThrow()
        .atBlock
        .longValueExact();
  }
}
