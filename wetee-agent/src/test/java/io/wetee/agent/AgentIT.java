package io.wetee.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wetee.chain.WorkloadKind;
import io.wetee.crypto.Address;
import io.wetee.crypto.Ethereum;
import io.wetee.crypto.Keccak;
import io.wetee.crypto.RunResult;
import io.wetee.crypto.Verdict;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent against a real committee: Hardhat node, four secret nodes that ran the DKG on chain,
 * the worker's quoting service; the agent runs real programs (sh, python3) and the tests submit
 * what it signs to the real Cloud contract.
 */
class AgentIT {
  static DevNetwork net;
  @TempDir static Path shared;
  @TempDir Path dir;
  final List<Agent> agents = new ArrayList<>();

  @BeforeAll
  static void network() throws Exception {
    net = new DevNetwork(shared);
  }

  @AfterAll
  static void stopNetwork() {
    if (net != null) {
      net.close();
    }
  }

  @AfterEach
  void stopAgents() {
    agents.forEach(Agent::close);
  }

  private Agent start(ObjectNode config) throws IOException {
    Files.createDirectories(dir.resolve("work"));
    Agent a =
        Agent.start(
            TestConfigs.parse(config), Map.of("PATH", System.getenv("PATH")), Clock.systemUTC());
    agents.add(a);
    return a;
  }

  private static AgentClient client(Agent a) {
    return AgentClient.create(URI.create("http://127.0.0.1:" + a.port()), Duration.ofSeconds(20));
  }

  private static <T> T ok(AgentClient.Reply<T> r) {
    assertThat(r).as(String.valueOf(r)).isInstanceOf(AgentClient.Ok.class);
    return ((AgentClient.Ok<T>) r).value();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private String token(String specText) {
    return net.quoting.register(Keccak.hash(specText.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void deliversSecretsToEnvAndMode600FilesServesVerifiableAttestationAndSignsProofsTheCloudPays()
      throws Exception {
    int port = freePort();
    String spec =
        TestConfigs.spec(
            """
            name: web
            kind: service
            tee: { types: [SIMULATED] }
            containers:
              - name: web
                image: local
                command: [sh, -c, 'printf %%s "$API_KEY" > env.txt; echo started; exec python3 -m http.server "$APP_PORT" --bind 127.0.0.1']
                env: { APP_PORT: "%d" }
                secretEnv: { API_KEY: api-key }
                files: [{ path: /etc/app/conf.json, secret: app-conf }]
                ports: [{ port: %d }]
                health: { http: /, intervalSeconds: 1 }
            """
                .formatted(port, port));
    net.secret("api-key", "it-api-key-value");
    net.secret("app-conf", "{\"db\":\"it\"}");
    long id = net.create(spec, WorkloadKind.SERVICE);
    Agent agent = start(net.config(id, spec, token(spec), dir));
    AgentClient client = client(agent);

    await().atMost(Duration.ofSeconds(30)).until(() -> agent.state() instanceof AgentState.Running);
    Path env = dir.resolve("work/env.txt");
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(env) && Files.size(env) > 0);
    assertThat(Files.readString(env)).isEqualTo("it-api-key-value");
    Path conf = dir.resolve("files/etc/app/conf.json");
    assertThat(Files.readString(conf)).isEqualTo("{\"db\":\"it\"}");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(conf)))
        .isEqualTo("rw-------");

    AgentProtocol.Attestation doc = ok(client.attestation());
    AgentChecks.attestation(net, doc, agent, id, spec);
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> "healthy".equals(ok(client.status()).health().state()));

    // The worker records the attested start with the agent's verdicts, then settles its proof.
    Verdict verdict = doc.verdict().toVerdict();
    net.worker
        .cloud()
        .start(
            id,
            1,
            agent.instance(),
            verdict,
            doc.signatures().stream().map(AgentProtocol.Signature::toSignedBy).toList());
    long from = net.worker.cloud().workload(id).lastSettledBlock();
    await().atMost(Duration.ofSeconds(10)).until(() -> net.worker.blockNumber() >= from + 3);
    long to = from + 3;
    AgentProtocol.Proof proof = ok(client.proof(from, to));
    AgentChecks.proof(net, proof, agent, id, from, to);
    assertThat(ok(client.proof(from, to))).isEqualTo(proof);
    net.worker.cloud().settle(proof.toSettleProof(), proof.ethSignature());
    assertThat(net.worker.cloud().workload(id).lastSettledBlock()).isEqualTo(to);

    // Re-attestation: fresh evidence and verdicts the Cloud accepts as a renewal.
    Thread.sleep(1100);
    AgentProtocol.Reattestation re = ok(client.reattest());
    assertThat(re.verdict().instance()).isEqualTo(agent.instance());
    assertThat(re.verdict().expiresAt()).isGreaterThan(verdict.expiresAt());
    net.worker.cloud().reattest(id, re.verdict().toVerdict(), re.signedBy());
    assertThat(net.worker.cloud().workload(id).verdictExpiresAt())
        .isEqualTo(re.verdict().expiresAt());
    assertThat(ok(client.attestation()).nonce()).isNotEqualTo(doc.nonce());

    AgentProtocol.Logs logs = ok(client.logs(0));
    assertThat(logs.chunks()).anySatisfy(c -> assertThat(c.text()).contains("started"));
    await().atMost(Duration.ofSeconds(5)).until(() -> !ok(client.metrics(0)).samples().isEmpty());
    assertThat(ok(client.metrics(0)).samples().get(0).rssBytes()).isPositive();
  }

  @Test
  void failsClosedWhenTheCommitteeRejectsTheEvidenceAndNeverStartsTheProgram() throws Exception {
    String spec =
        TestConfigs.spec(
            """
            name: refused
            kind: service
            containers:
              - name: app
                image: local
                command: [sh, -c, "touch ran; sleep 30"]
                secretEnv: { API_KEY: api-key }
            """);
    net.secret("api-key", "it-api-key-value");
    long id = net.create(spec, WorkloadKind.SERVICE);
    // The worker launched something else: its measurement is not this workload's spec hash.
    String token =
        net.quoting.register(Keccak.hash("another spec".getBytes(StandardCharsets.UTF_8)));
    Agent agent = start(net.config(id, spec, token, dir));

    await().atMost(Duration.ofSeconds(30)).until(() -> agent.state() instanceof AgentState.Failed);
    AgentProtocol.Status s = ok(client(agent).status());
    assertThat(s.state()).isEqualTo("failed");
    assertThat(s.reason()).isEqualTo("release-refused");
    assertThat(s.refusals())
        .hasSize(4)
        .allSatisfy(r -> assertThat(r.reason()).isEqualTo("policy-rejected"));
    assertThat(s.detail()).startsWith("secret release failed: 0 valid answers, 3 needed");
    assertThat(s.program()).isNull();
    assertThat(client(agent).attestation()).isInstanceOf(AgentClient.Failed.class);
    Thread.sleep(300);
    assertThat(dir.resolve("work/ran")).doesNotExist();
    assertThat(dir.resolve("files")).doesNotExist();
  }

  @Test
  void restartsACrashingProgramByItsPolicyThenReportsItFinished() throws Exception {
    String spec =
        TestConfigs.spec(
            """
            name: crasher
            kind: service
            containers: [{ name: app, image: local, command: [sh, -c, "echo crash; exit 3"] }]
            """);
    long id = net.create(spec, WorkloadKind.SERVICE);
    ObjectNode c = net.config(id, spec, token(spec), dir);
    c.putObject("restart")
        .put("policy", "on-failure")
        .put("maxRestarts", 2)
        .put("initialBackoffMillis", 100);
    // Verdicts are valid for an hour: renewing 3599 s before expiry renews at once.
    c.putObject("reattest").put("beforeExpirySeconds", 3599).put("retrySeconds", 1);
    Agent agent = start(c);

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> agent.state() instanceof AgentState.Finished);
    AgentProtocol.Status s = ok(client(agent).status());
    assertThat(s.state()).isEqualTo("finished");
    assertThat(s.exitCode()).isEqualTo(3);
    assertThat(s.program().restarts()).isEqualTo(2);
    assertThat(s.program().running()).isFalse();
    String out =
        String.join(
            "",
            ok(client(agent).logs(0)).chunks().stream().map(AgentProtocol.LogChunk::text).toList());
    assertThat(out).isEqualTo("crash\n".repeat(3));
    assertThat(client(agent).proof(1, 2))
        .isEqualTo(new AgentClient.Failed<>(409, "not-running", "state finished"));
    String nonce = ok(client(agent).attestation()).nonce();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !ok(client(agent).attestation()).nonce().equals(nonce));
  }

  @Test
  void runsATaskToCompletionAndSignsItsExitCodeAndResultHashForTheCloud() throws Exception {
    String spec =
        TestConfigs.spec(
            """
            name: job
            kind: task
            task: { timeoutSeconds: 60 }
            containers:
              - name: job
                image: local
                command: [sh, -c, "echo computing; printf 42 > result.txt; exit 7"]
                secretEnv: { API_KEY: api-key }
            """);
    net.secret("api-key", "it-api-key-value");
    long id = net.create(spec, WorkloadKind.TASK);
    long runId = net.worker.cloud().workload(id).nextRunId();
    ObjectNode c = net.config(id, spec, token(spec), dir);
    c.putObject("task")
        .put("runId", runId)
        .put("resultFile", dir.resolve("work/result.txt").toString())
        .put("lingerSeconds", 30);
    Agent agent = start(c);
    AgentClient client = client(agent);

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> agent.state() instanceof AgentState.Finished);
    assertThat(client.runResult(runId + 1))
        .isEqualTo(
            new AgentClient.Failed<>(409, "wrong-run-id", "this instance executes run " + runId));
    AgentProtocol.Attestation doc = ok(client.attestation());
    AgentProtocol.RunResultView view = ok(client.runResult(runId));
    RunResult r = view.toRunResult();
    assertThat(r.exitCode()).isEqualTo(7);
    assertThat(r.runId()).isEqualTo(runId);
    assertThat(r.resultHash()).isEqualTo(Keccak.hash("42".getBytes(StandardCharsets.UTF_8)));
    assertThat(r.logsHash()).isNotEqualTo(Merkle.root(List.of()));
    assertThat(Ethereum.recover(r.digest(net.chainId(), net.cloud()), view.ethSignature()))
        .isEqualTo(Address.fromHex(agent.instance()));
    assertThat(agent.exitCode().get(10, TimeUnit.SECONDS)).isEqualTo(7);

    net.worker
        .cloud()
        .start(
            id,
            1,
            agent.instance(),
            doc.verdict().toVerdict(),
            doc.signatures().stream().map(AgentProtocol.Signature::toSignedBy).toList());
    net.worker.cloud().completeRun(r, view.ethSignature());
    assertThat(net.worker.cloud().workload(id).nextRunId()).isEqualTo(runId + 1);
  }
}
