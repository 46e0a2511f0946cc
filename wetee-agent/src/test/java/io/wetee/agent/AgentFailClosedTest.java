package io.wetee.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.wetee.attestation.SimulatedPlatform;
import io.wetee.crypto.Keccak;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failures before any committee member answers: the agent reports the reason and never starts the
 * program (a real quoting service on loopback; members at a closed port).
 */
class AgentFailClosedTest {
  static final String SPEC =
      TestConfigs.spec(
          """
          name: marker
          kind: service
          containers:
            - name: app
              image: local
              command: [sh, -c, "touch ran; sleep 30"]
          """);

  @TempDir Path dir;
  final SecureRandom rnd = new SecureRandom();
  final QuotingService quoting =
      new QuotingService(SimulatedPlatform.generate(rnd), Clock.systemUTC(), rnd);
  Javalin app;
  Agent agent;

  @BeforeEach
  void serve() throws Exception {
    app = Javalin.create(c -> c.showJavalinBanner = false);
    quoting.routes(app);
    app.start("127.0.0.1", 0);
    Files.createDirectories(dir.resolve("work"));
  }

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.close();
    }
    app.stop();
  }

  private ObjectNode config(String spec, String token) {
    return TestConfigs.config(
        1,
        spec,
        "http://127.0.0.1:" + app.port() + QuotingService.PATH,
        token,
        List.of(
            new AgentConfig.Member(
                1, "0x0000000000000000000000000000000000000001", "http://127.0.0.1:1")),
        dir);
  }

  private AgentProtocol.Status status() {
    AgentClient client =
        AgentClient.create(URI.create("http://127.0.0.1:" + agent.port()), Duration.ofSeconds(5));
    return ((AgentClient.Ok<AgentProtocol.Status>) client.status()).value();
  }

  private void assertFailedWithoutRunning(FailureReason reason) throws InterruptedException {
    await().atMost(Duration.ofSeconds(15)).until(() -> agent.state() instanceof AgentState.Failed);
    assertThat(((AgentState.Failed) agent.state()).reason()).isEqualTo(reason);
    AgentProtocol.Status s = status();
    assertThat(s.state()).isEqualTo("failed");
    assertThat(s.reason()).isEqualTo(reason.code());
    assertThat(s.program()).isNull();
    AgentClient client =
        AgentClient.create(URI.create("http://127.0.0.1:" + agent.port()), Duration.ofSeconds(5));
    assertThat(client.attestation())
        .isEqualTo(new AgentClient.Failed<>(503, "not-attested", "state failed"));
    Thread.sleep(300);
    assertThat(dir.resolve("work/ran")).doesNotExist();
  }

  @Test
  void failsClosedWhenNoQuorumOfMembersAnswersAndNeverStartsTheProgram() throws Exception {
    String token =
        quoting.register(QuotingService.measurementOf(SPEC.getBytes(StandardCharsets.UTF_8)));
    agent = Agent.start(TestConfigs.parse(config(SPEC, token)), Map.of(), Clock.systemUTC());
    assertFailedWithoutRunning(FailureReason.COMMITTEE_UNAVAILABLE);
    assertThat(status().detail()).isEqualTo("fewer than 1 members agree on the committee key");
  }

  @Test
  void failsClosedWhenThePlatformGivesNoEvidence() throws Exception {
    agent =
        Agent.start(TestConfigs.parse(config(SPEC, "not-registered")), Map.of(), Clock.systemUTC());
    assertFailedWithoutRunning(FailureReason.EVIDENCE_UNAVAILABLE);
    assertThat(status().detail()).contains("401 unknown-instance");
  }

  @Test
  void retriesATransientFailureBeforeFailingClosed() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String token =
        quoting.register(QuotingService.measurementOf(SPEC.getBytes(StandardCharsets.UTF_8)));
    ObjectNode c = config(SPEC, token);
    ((ObjectNode) c.get("evidence"))
        .put("quotingUrl", "http://127.0.0.1:" + port + QuotingService.PATH);
    c.putObject("retry").put("attempts", 2).put("delayMillis", 2000);
    agent = Agent.start(TestConfigs.parse(c), Map.of(), Clock.systemUTC());
    // The first attempt finds no quoting service; it comes up before the second.
    Thread.sleep(700);
    assertThat(status().state()).isEqualTo("attesting");
    Javalin late = Javalin.create(x -> x.showJavalinBanner = false);
    quoting.routes(late);
    late.start("127.0.0.1", port);
    try {
      // The second attempt gets evidence and fails for want of a committee: its reason counts.
      assertFailedWithoutRunning(FailureReason.COMMITTEE_UNAVAILABLE);
    } finally {
      late.stop();
    }
  }

  @Test
  void failsClosedOnASpecWithoutACommandAndStillServesItsStatus() throws Exception {
    String spec =
        TestConfigs.spec(
            """
            name: nocommand
            kind: service
            containers: [{ name: app, image: registry.example/app@sha256:00 }]
            """);
    agent = Agent.start(TestConfigs.parse(config(spec, "x")), Map.of(), Clock.systemUTC());
    assertFailedWithoutRunning(FailureReason.INVALID_SPEC);
    assertThat(status().detail()).isEqualTo("container app has no command");
    assertThat(status().specHash())
        .isEqualTo(Keccak.hash(spec.getBytes(StandardCharsets.UTF_8)).toHex());
  }
}
