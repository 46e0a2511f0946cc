package io.wetee.cli.devnet;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.wetee.chain.ChainClient;
import io.wetee.chain.ContractRevertedException;
import io.wetee.chain.contracts.Cloud;
import io.wetee.cli.CliRun;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.datatypes.Event;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Helpers of the flow ITs ({@link FlowsDevnetIT}): CLI calls that must succeed, waits on {@code
 * show --json}, Cloud event logs of one workload, HTTP GETs and the example specs.
 */
final class FlowsIt {
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private FlowsIt() {}

  static Path example(String name) {
    Path root =
        Paths.get(System.getProperty("wetee.contracts.dir", "../contracts"))
            .toAbsolutePath()
            .getParent();
    return root.resolve("examples").resolve(name).resolve("wetee.yaml");
  }

  /**
   * hello-service without its secret (any account can deploy it), its program directory named by
   * absolute path, written to {@code dir}.
   */
  static Path plainService(Path dir) throws Exception {
    Path out = dir.resolve("plain-service.yaml");
    if (!Files.exists(out)) {
      String yaml =
          Files.readString(example("hello-service"))
              .replace("./app", example("hello-service").getParent().resolve("app").toString())
              .replaceAll("(?m)^\\s*secretEnv:.*\\n", "");
      Files.writeString(out, yaml);
    }
    return out;
  }

  static JsonNode awaitShow(AppNetwork net, int account, String what, long id, String status) {
    AtomicReference<JsonNode> last = new AtomicReference<>();
    try {
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                last.set(net.json(net.cli(account, what, "show", Long.toString(id), "--json")));
                return last.get().path("status").asText().equals(status);
              });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("workload " + id + " never " + status + ": " + last.get(), e);
    }
    return last.get();
  }

  /** {@code app deploy SPEC --json [args]} by {@code account}: the workload id. */
  static long deploy(AppNetwork net, int account, Path spec, String... args) {
    List<String> all = new java.util.ArrayList<>(List.of("app", "deploy", spec.toString()));
    all.addAll(List.of(args));
    all.add("--json");
    return net.json(net.cli(account, all.toArray(String[]::new))).get("workloadId").asLong();
  }

  static String get(String url) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new java.io.IOException("HTTP " + r.statusCode() + " from " + url + ": " + r.body());
    }
    return r.body();
  }

  /** The logs of one Cloud event of one workload (its first indexed topic). */
  static List<Log> logs(AppNetwork net, ChainClient c, Event event, long id) {
    EthFilter f =
        new EthFilter(
            DefaultBlockParameterName.EARLIEST,
            DefaultBlockParameterName.LATEST,
            net.deployment.address("Cloud"));
    f.addSingleTopic(EventEncoder.encode(event));
    f.addSingleTopic(String.format("0x%064x", id));
    try {
      return c.web3j().ethGetLogs(f).send().getLogs().stream().map(r -> (Log) r.get()).toList();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Blocks paid by the Settled events of a workload so far. */
  static long settledBlocks(AppNetwork net, ChainClient c, long id) {
    return logs(net, c, Cloud.SETTLED_EVENT, id).stream()
        .map(Cloud::getSettledEventFromLog)
        .mapToLong(e -> e.toBlock.subtract(e.fromBlock).longValueExact())
        .sum();
  }

  static BigInteger deposit(AppNetwork net, ChainClient c, long id) {
    return Cloud.getWorkloadCreatedEventFromLog(
            logs(net, c, Cloud.WORKLOADCREATED_EVENT, id).get(0))
        .escrow;
  }

  static BigInteger balance(ChainClient c, String account) throws Exception {
    return c.web3j().ethGetBalance(account, DefaultBlockParameterName.LATEST).send().getBalance();
  }

  /** Wei a transaction cost its sender in gas. */
  static BigInteger gasCost(TransactionReceipt r) {
    return r.getGasUsed().multiply(new BigInteger(r.getEffectiveGasPrice().substring(2), 16));
  }

  /** The custom error's name of a reverted call, or fails. */
  static String revertName(Runnable call) {
    try {
      call.run();
    } catch (ContractRevertedException e) {
      return e.error().name();
    }
    throw new AssertionError("the call did not revert");
  }

  static CliRun ok(CliRun r) {
    if (r.exitCode() != 0) {
      throw new AssertionError("exit " + r.exitCode() + ": " + r.err() + r.out());
    }
    return r;
  }

  /**
   * The provider changes its registered cores (retried: the worker sends from the same account).
   */
  static void setCpu(ChainClient provider, long workerId, io.wetee.chain.WorkerInfo wi, long cpu) {
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(
            () -> {
              provider
                  .subnet()
                  .updateWorker(
                      workerId,
                      new io.wetee.chain.WorkerSpec(
                          wi.name(),
                          provider.subnet().worker(workerId).endpoint(),
                          wi.regionId(),
                          wi.levelId(),
                          wi.teeTypes(),
                          new io.wetee.chain.Resources(
                              cpu,
                              wi.capacity().memory(),
                              wi.capacity().disk(),
                              wi.capacity().gpu())));
              return provider.subnet().worker(workerId).capacity().cpu() == cpu;
            });
  }

  static BigInteger nonce(ChainClient c) throws Exception {
    return c.web3j()
        .ethGetTransactionCount(
            c.account().orElseThrow(), org.web3j.protocol.core.DefaultBlockParameterName.LATEST)
        .send()
        .getTransactionCount();
  }

  /** hello-task every {@code everyBlocks} blocks (0: once), written to the devnet directory. */
  static Path task(AppNetwork net, String name, int everyBlocks) throws Exception {
    Path out = net.dir.resolve(name + ".yaml");
    Path example = example("hello-task");
    Files.writeString(
        out,
        Files.readString(example)
            .replace("./app", example.getParent().resolve("app").toString())
            .replace("everyBlocks: 0", "everyBlocks: " + everyBlocks));
    return out;
  }

  /** The RunCompleted events of a task, in order. */
  static List<Cloud.RunCompletedEventResponse> runs(AppNetwork net, ChainClient c, long id) {
    return logs(net, c, Cloud.RUNCOMPLETED_EVENT, id).stream()
        .map(Cloud::getRunCompletedEventFromLog)
        .toList();
  }
}
