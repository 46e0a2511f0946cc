package io.wetee.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent as its own process: {@code java -cp ... io.wetee.agent.AgentMain --config FILE}. */
class AgentMainTest {
  @TempDir Path dir;

  @Test
  void refusesAMissingOrInvalidConfigWithExitCode2() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream p = new PrintStream(err, true, StandardCharsets.UTF_8);
    assertThat(AgentMain.run(new String[] {}, p)).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("usage:");
    Path bad = dir.resolve("agent.json");
    Files.writeString(bad, "{\"workloadId\": 1}");
    assertThat(AgentMain.run(new String[] {"--config", bad.toString()}, p)).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("invalid agent config");
  }

  @Test
  void runsAsAProcessThatServesItsStatusAfterFailingClosedAndStopsOnSigterm() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ObjectNode c =
        TestConfigs.config(
            3,
            AgentFailClosedTest.SPEC,
            "http://127.0.0.1:1/v1/quote",
            "token",
            List.of(
                new AgentConfig.Member(
                    1, "0x0000000000000000000000000000000000000001", "http://127.0.0.1:1")),
            dir);
    ((ObjectNode) c.get("listen")).put("port", port);
    Path file = dir.resolve("agent.json");
    Files.writeString(file, c.toString());
    String java = ProcessHandle.current().info().command().orElse("java");
    Process p =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "io.wetee.agent.AgentMain",
                "--config",
                file.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("agent.log").toFile())
            .start();
    try {
      AgentClient client =
          AgentClient.create(URI.create("http://127.0.0.1:" + port), Duration.ofSeconds(2));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  client.status() instanceof AgentClient.Ok<AgentProtocol.Status> ok
                      && ok.value().state().equals("failed"));
      AgentProtocol.Status s = ((AgentClient.Ok<AgentProtocol.Status>) client.status()).value();
      assertThat(s.reason()).isEqualTo("evidence-unavailable");
      p.destroy();
      assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(Files.readString(dir.resolve("agent.log"))).contains("agent stopped");
    } finally {
      p.destroyForcibly();
    }
  }
}
