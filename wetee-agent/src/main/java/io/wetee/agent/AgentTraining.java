package io.wetee.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.wetee.attestation.SimulatedPlatform;
import io.wetee.common.Json;
import io.wetee.common.spec.WorkloadSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The training run of the agent's ahead-of-time cache (JEP 483/514): the worker runs {@code java
 * -XX:AOTCacheOutput=FILE -cp AGENT_CLASS_PATH io.wetee.agent.AgentTraining} once per staged agent
 * class path, and instances then start their agent with {@code -XX:AOTCache=FILE}, so the classes
 * of a start come loaded and linked from the cache instead of being found in ~100 jars.
 *
 * <p>It rehearses what every agent does first, through the same code: the config file is read with
 * {@link AgentConfig#load}, {@link Agent#start} makes the key and serves the control API, evidence
 * comes from a real SIMULATED {@link QuotingService} over loopback HTTP, the committee key is asked
 * from a member at a closed loopback port (so the round ends {@code committee-unavailable}: no
 * secret exists here and the program never runs), and the control API is read through {@link
 * AgentClient}. Exit code 0 when the rehearsal ended as expected, 1 otherwise (the worker then
 * keeps starting agents without a cache).
 */
public final class AgentTraining {
  private static final String SPEC =
      """
      name: agent-training
      kind: service
      containers:
        - name: app
          image: local
          command: ["true"]
          ports: [{ port: 8080 }]
      """;

  private AgentTraining() {}

  public static void main(String[] args) {
    // The process's own main: the exit code tells the worker whether the cache is worth using.
    System.exit(run(System.err));
  }

  /** Runs the rehearsal; 0 when the agent reached the expected fail-closed state. */
  static int run(PrintStream err) {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "wetee-agent-logback.xml");
    }
    Path dir = null;
    Javalin quotingApp = null;
    Agent agent = null;
    try {
      dir = Files.createTempDirectory("wetee-agent-training");
      Files.createDirectories(dir.resolve("work"));
      SecureRandom random = new SecureRandom();
      QuotingService quoting =
          new QuotingService(SimulatedPlatform.generate(random), Clock.systemUTC(), random);
      quotingApp = Javalin.create(c -> c.showJavalinBanner = false);
      quoting.routes(quotingApp);
      quotingApp.start("127.0.0.1", 0);
      String spec = WorkloadSpec.parseYaml(SPEC).canonicalText();
      String token =
          quoting.register(QuotingService.measurementOf(spec.getBytes(StandardCharsets.UTF_8)));
      Path config = dir.resolve("agent.json");
      Files.writeString(config, config(spec, quotingApp.port(), token, dir).toString());
      agent = Agent.start(AgentConfig.load(config));
      AgentClient client =
          AgentClient.create(
              URI.create("http://127.0.0.1:" + agent.port()), Duration.ofSeconds(10));
      String state = awaitSettled(client, Duration.ofSeconds(60));
      // The routes the worker reads from every agent (answers do not matter here).
      var attestation = client.attestation();
      var logs = client.logs(0);
      if (attestation == null || logs == null) {
        return 1;
      }
      if (!state.equals("failed:" + FailureReason.COMMITTEE_UNAVAILABLE.code())) {
        err.println("agent training ended in an unexpected state: " + state);
        return 1;
      }
      return 0;
    } catch (IOException | RuntimeException e) {
      err.println("agent training failed: " + e);
      return 1;
    } finally {
      if (agent != null) {
        agent.close();
      }
      if (quotingApp != null) {
        quotingApp.stop();
      }
      deleteQuietly(dir);
    }
  }

  private static ObjectNode config(String spec, int quotingPort, String token, Path dir)
      throws IOException {
    ObjectNode c = Json.strict().createObjectNode();
    c.put("workloadId", 1).put("version", 1).put("spec", spec).put("container", "app");
    String zero = "0x" + "0".repeat(40);
    c.putObject("network").put("chainId", 31337).put("cloud", zero).put("committee", zero);
    ObjectNode committee = c.putObject("committee");
    committee
        .putArray("members")
        .addObject()
        .put("index", 1)
        .put("address", zero)
        .put("endpoint", "http://127.0.0.1:" + closedPort());
    committee.put("quorum", 1).put("timeoutMillis", 5000);
    c.putObject("evidence")
        .put("type", "SIMULATED")
        .put("quotingUrl", "http://127.0.0.1:" + quotingPort + QuotingService.PATH)
        .put("token", token);
    c.putObject("listen").put("host", "127.0.0.1").put("port", 0);
    c.putObject("paths")
        .put("filesRoot", dir.resolve("files").toString())
        .put("workDir", dir.resolve("work").toString());
    c.putObject("retry").put("attempts", 1);
    return c;
  }

  /** {@code state} or {@code failed:reason} once the agent left {@code attesting}. */
  private static String awaitSettled(AgentClient client, Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      if (client.status() instanceof AgentClient.Ok<AgentProtocol.Status> ok
          && !ok.value().state().equals("attesting")) {
        String s = ok.value().state();
        return s.equals("failed") ? s + ":" + ok.value().reason() : s;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "interrupted";
      }
    }
    return "attesting (timed out)";
  }

  /** A loopback port nothing listens on (bound once, then released). */
  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException ignored) {
      // a temporary directory; nothing depends on it
    }
  }
}
