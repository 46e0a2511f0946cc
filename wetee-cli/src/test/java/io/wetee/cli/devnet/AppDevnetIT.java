package io.wetee.cli.devnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.wetee.attestation.TeeType;
import io.wetee.chain.ChainClient;
import io.wetee.chain.CreateWorkload;
import io.wetee.chain.Resources;
import io.wetee.chain.WorkloadInfo;
import io.wetee.chain.WorkloadKind;
import io.wetee.chain.contracts.Cloud;
import io.wetee.cli.CliRun;
import io.wetee.common.spec.WorkloadSpec;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.core.DefaultBlockParameterName;

/**
 * Issue #5 end to end on one devnet in this JVM (Hardhat, 4 secret nodes after an on-chain DKG, the
 * devnet's worker with real bubblewrap sandboxes): the deployer's CLI deploys, reads, updates,
 * stops; the worker reconciles, starts attested instances, routes its proxy and settles.
 */
class AppDevnetIT {
  static final String SECRET = "s3cret-for-the-it";
  static AppNetwork net;
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @BeforeAll
  static void up() throws Exception {
    net = new AppNetwork();
    Path value = net.dir.resolve("api-key.txt");
    Files.writeString(value, SECRET);
    CliRun put = net.cli(2, "secret", "put", "api-key", "--value-file", value.toString());
    assertThat(put.exitCode()).as(put.err()).isZero();
  }

  @AfterAll
  static void down() {
    if (net != null) {
      net.close();
    }
  }

  static Path example(String name) {
    Path root =
        Paths.get(System.getProperty("wetee.contracts.dir", "../contracts"))
            .toAbsolutePath()
            .getParent();
    return root.resolve("examples").resolve(name).resolve("wetee.yaml");
  }

  static JsonNode awaitShow(String what, long id, String status) {
    AtomicReference<JsonNode> last = new AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              last.set(net.json(net.cli(2, what, "show", Long.toString(id), "--json")));
              return last.get().path("status").asText().equals(status);
            });
    return last.get();
  }

  static String get(String url) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  static String sha16(String s) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)))
        .substring(0, 16);
  }

  @Test
  void deployedServiceRunsAttestedAnswersWithItsSecretSettlesAndStopsWithAnExactRefund()
      throws Exception {
    long t0 = System.nanoTime();
    JsonNode d =
        net.json(net.cli(2, "app", "deploy", example("hello-service").toString(), "--json"));
    long id = d.get("workloadId").asLong();
    JsonNode show = awaitShow("app", id, "running");
    String url = show.get("url").asText();
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> get(url).contains("api-key"));
    System.out.printf(
        "[AppDevnetIT] deploy to first answer: %.1f s%n", (System.nanoTime() - t0) / 1e9);
    assertThat(get(url)).isEqualTo("hello from WeTEE v1; api-key sha256 " + sha16(SECRET) + "\n");
    assertThat(show.get("version").asLong()).isEqualTo(1);

    try (ChainClient c = net.chain(2)) {
      WorkloadInfo started = c.cloud().workload(id);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> c.cloud().workload(id).lastSettledBlock() > started.lastSettledBlock());
      CliRun logs = net.cli(2, "app", "logs", Long.toString(id));
      assertThat(logs.exitCode()).as(logs.err()).isZero();
      assertThat(logs.out()).contains("hello-service listening");
      CliRun stranger = net.cli(3, "app", "logs", Long.toString(id));
      assertThat(stranger.exitCode()).isEqualTo(3);
      assertThat(stranger.err()).contains("not-owner");
      assertThat(
              net.json(net.cli(2, "app", "attestation", Long.toString(id)))
                  .get("instance")
                  .asText())
          .isEqualToIgnoringCase(c.cloud().workload(id).instance());

      BigInteger deposit = deposit(c, id);
      BigInteger price = c.cloud().priceOf(id).perBlock();
      JsonNode stop = net.json(net.cli(2, "app", "stop", Long.toString(id), "--json"));
      BigInteger refund = new BigInteger(stop.get("refund").asText());
      BigInteger settledBlocks = settledBlocks(c, id);
      assertThat(settledBlocks).isPositive();
      WorkloadInfo w = c.cloud().workload(id);
      assertThat(refund.add(price.multiply(settledBlocks))).isEqualTo(deposit);
      assertThat(w.status()).isEqualTo(WorkloadInfo.Status.STOPPED);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  net.worker.runtime().list().stream()
                      .noneMatch(s -> s.workloadId().equals(Long.toString(id))));
    }
  }

  @Test
  void agentRefusedItsSecretsSoTheProgramNeverRunsAndTheChainNeverHearsOfIt() throws Exception {
    // Created straight on chain, past the CLI's checks: the spec names a secret that does not
    // exist.
    String yaml =
        Files.readString(example("hello-service"))
            .replace("./app", bundleOf("hello-service"))
            .replace("api-key", "no-such-secret");
    byte[] spec = WorkloadSpec.parseYaml(yaml).canonicalJson();
    try (ChainClient c = net.chain(2)) {
      long id =
          c.cloud()
              .create(
                  new CreateWorkload(
                      net.worker.workerId(),
                      WorkloadKind.SERVICE,
                      Set.of(TeeType.SIMULATED),
                      false,
                      0,
                      0,
                      new Resources(250, 128, 1, 0),
                      BigInteger.ZERO,
                      0,
                      spec,
                      BigInteger.TEN.pow(16)));
      JsonNode show = awaitShow("app", id, "failed");
      assertThat(show.get("worker").get("reason").asText()).isEqualTo("release-refused");
      WorkloadInfo w = c.cloud().workload(id);
      assertThat(w.status()).isEqualTo(WorkloadInfo.Status.PENDING);
      assertThat(w.instance()).isEqualTo("0x0000000000000000000000000000000000000000");
      c.cloud().stop(id);
    }
  }

  @Test
  void updateUnderLoadFailsNoRequestAndEndsOnTheNewVersion() throws Exception {
    long id =
        net.json(net.cli(2, "app", "deploy", example("hello-service").toString(), "--json"))
            .get("workloadId")
            .asLong();
    String url = awaitShow("app", id, "running").get("url").asText();
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> get(url).contains("v1"));
    RequestLoop load = RequestLoop.start(HTTP, url, "hi from WeTEE v2");
    Path v2 = net.dir.resolve("hello-v2.yaml");
    Files.writeString(
        v2,
        Files.readString(example("hello-service"))
            .replace("./app", example("hello-service").getParent().resolve("app").toString())
            .replace("GREETING: hello", "GREETING: hi"));
    JsonNode up = net.json(net.cli(2, "app", "update", Long.toString(id), v2.toString(), "--json"));
    assertThat(up.get("version").asLong()).isEqualTo(2);
    // Until the new version answered 20 times and the loop has sent over 50 requests in all (a
    // fast update can switch before 50 requests were sent; the loop keeps going on v2 then).
    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> load.marked.get() > 20 && load.ok.get() + load.failed.get() > 50);
    load.close();
    assertThat(load.failed.get()).as(String.valueOf(load.firstFailure.get())).isZero();
    assertThat(load.ok.get()).isGreaterThan(50);
    assertThat(get(url)).startsWith("hi from WeTEE v2");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                net.worker.runtime().list().stream()
                        .filter(s -> s.workloadId().equals(Long.toString(id)))
                        .count()
                    == 1);
    System.out.printf(
        "[AppDevnetIT] update under load: %d ok, %d failed%n", load.ok.get(), load.failed.get());
    net.cli(2, "app", "stop", Long.toString(id));
  }

  @Test
  void taskRunsOnceAndIsPaidItsRunPrice() throws Exception {
    long id =
        net.json(net.cli(2, "task", "run", example("hello-task").toString(), "--json"))
            .get("workloadId")
            .asLong();
    try (ChainClient c = net.chain(2)) {
      BigInteger before = c.cloud().workload(id).escrow();
      await().atMost(Duration.ofSeconds(90)).until(() -> c.cloud().workload(id).nextRunId() == 1);
      WorkloadInfo w = c.cloud().workload(id);
      assertThat(before.subtract(w.escrow())).isEqualTo(w.runPrice());
      var done =
          logs(c, Cloud.RUNCOMPLETED_EVENT, id).stream()
              .map(Cloud::getRunCompletedEventFromLog)
              .findFirst()
              .orElseThrow();
      assertThat(done.exitCode.intValue()).isZero();
      JsonNode show = net.json(net.cli(2, "task", "show", Long.toString(id), "--json"));
      assertThat(show.get("worker").get("lastExitCode").asInt()).isZero();
      CliRun logs = net.cli(2, "task", "logs", Long.toString(id));
      assertThat(logs.out()).contains("wrote result sha256");
    }
  }

  @Test
  void badSpecIsRefusedWithEveryReasonBeforeAnyTransaction() throws Exception {
    Path bad = net.dir.resolve("bad.yaml");
    Files.writeString(
        bad,
        """
        name: bad
        kind: task
        colour: blue
        containers:
          - name: job
            command: [python3, job.py]
            secretEnv: { K: never-put }
            resources: { cpu: 900000m }
        task: { schedule: { everyBlocks: -3 } }
        """);
    try (ChainClient c = net.chain(2)) {
      BigInteger nonce = nonce(c);
      CliRun r = net.cli(2, "task", "run", bad.toString());
      assertThat(r.exitCode()).isEqualTo(2);
      assertThat(r.err())
          .contains("colour: unknown field")
          .contains("image: missing")
          .contains("over level 0's maximum")
          .contains("unknown secret never-put")
          .contains("invalid schedule");
      assertThat(nonce(c)).isEqualTo(nonce);
    }
  }

  @Test
  void workerKilledDuringDeployAndDuringUpdateEndsWithOneInstanceAndNoRangePaidTwice()
      throws Exception {
    try (WorkerProcess wp =
        new WorkerProcess(net.dir.resolve("worker-process"), net.deploymentFile, 15)) {
      long workerId = wp.start();
      long id =
          net.json(
                  net.cli(
                      2,
                      "app",
                      "deploy",
                      example("hello-service").toString(),
                      "--worker",
                      Long.toString(workerId),
                      "--json"))
              .get("workloadId")
              .asLong();
      Path placements = wp.dataDir().resolve("state/placements");
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> count(placements, "w" + id + "-") == 1);
      wp.kill(); // during the deploy: the instance is launched, the chain has not heard of it yet
      wp.start();
      String url;
      try {
        url = awaitShow("app", id, "running").get("url").asText();
        assertThat(url).startsWith("http");
      } catch (Throwable e) {
        throw new AssertionError(
            "after the restart: "
                + net.cli(2, "app", "show", Long.toString(id), "--json").out()
                + "\n"
                + wp.output(),
            e);
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(() -> get(url).contains("v1"));
      assertThat(count(wp.dataDir().resolve("runtime/instances"), "w" + id + "-")).isEqualTo(1);

      Path v2 = net.dir.resolve("hello-v2-kill.yaml");
      Files.writeString(
          v2,
          Files.readString(example("hello-service"))
              .replace("./app", example("hello-service").getParent().resolve("app").toString())
              .replace("GREETING: hello", "GREETING: hi"));
      net.json(net.cli(2, "app", "update", Long.toString(id), v2.toString(), "--json"));
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> count(placements, "w" + id + "-") == 2);
      wp.kill(); // during the update: old and new instance side by side
      wp.start();
      await()
          .atMost(Duration.ofSeconds(90))
          .ignoreExceptions()
          .until(() -> get(url).startsWith("hi from WeTEE v2"));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> count(wp.dataDir().resolve("runtime/instances"), "w" + id + "-") == 1);
      try (ChainClient c = net.chain(2)) {
        long v2Start = c.cloud().workload(id).lastSettledBlock();
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> c.cloud().workload(id).lastSettledBlock() > v2Start);
        java.util.List<long[]> ranges =
            logs(c, Cloud.SETTLED_EVENT, id).stream()
                .map(Cloud::getSettledEventFromLog)
                .map(e -> new long[] {e.fromBlock.longValueExact(), e.toBlock.longValueExact()})
                .sorted(java.util.Comparator.comparingLong(r -> r[0]))
                .toList();
        for (int i = 1; i < ranges.size(); i++) {
          assertThat(ranges.get(i)[0])
              .as("settled ranges overlap")
              .isGreaterThanOrEqualTo(ranges.get(i - 1)[1]);
        }
        assertThat(c.cloud().workload(id).version()).isEqualTo(2);
        assertThat(c.cloud().workload(id).status()).isEqualTo(WorkloadInfo.Status.RUNNING);
      }
      net.cli(2, "app", "stop", Long.toString(id));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> count(wp.dataDir().resolve("runtime/instances"), "w" + id + "-") == 0);
    }
  }

  private static long count(Path dir, String prefix) throws java.io.IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (var s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith(prefix)).count();
    }
  }

  private static BigInteger nonce(ChainClient c) throws Exception {
    return c.web3j()
        .ethGetTransactionCount(c.account().orElseThrow(), DefaultBlockParameterName.LATEST)
        .send()
        .getTransactionCount();
  }

  static BigInteger deposit(ChainClient c, long id) {
    return Cloud.getWorkloadCreatedEventFromLog(logs(c, Cloud.WORKLOADCREATED_EVENT, id).get(0))
        .escrow;
  }

  static BigInteger settledBlocks(ChainClient c, long id) {
    return logs(c, Cloud.SETTLED_EVENT, id).stream()
        .map(Cloud::getSettledEventFromLog)
        .map(e -> e.toBlock.subtract(e.fromBlock))
        .reduce(BigInteger.ZERO, BigInteger::add);
  }

  /** The logs of one Cloud event of one workload (its first indexed topic). */
  static java.util.List<org.web3j.protocol.core.methods.response.Log> logs(
      ChainClient c, org.web3j.abi.datatypes.Event event, long id) {
    var f =
        new org.web3j.protocol.core.methods.request.EthFilter(
            DefaultBlockParameterName.EARLIEST,
            DefaultBlockParameterName.LATEST,
            net.deployment.address("Cloud"));
    f.addSingleTopic(org.web3j.abi.EventEncoder.encode(event));
    f.addSingleTopic(String.format("0x%064x", id));
    try {
      return c.web3j().ethGetLogs(f).send().getLogs().stream()
          .map(r -> (org.web3j.protocol.core.methods.response.Log) r.get())
          .toList();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private static String bundleOf(String example) throws Exception {
    Path out = net.dir.resolve("bundles");
    Files.createDirectories(out);
    var p =
        (io.wetee.worker.PackResult.Packed)
            io.wetee.worker.BundlePacker.pack(
                example(example).getParent().resolve("app"), out.resolve(example + ".tar.gz"));
    return p.fileRef().toString();
  }
}
