package io.wetee.worker.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.wetee.agent.QuotingService;
import io.wetee.attestation.SimulatedPlatform;
import io.wetee.attestation.TeeType;
import io.wetee.chain.Deployment;
import io.wetee.chain.Resources;
import io.wetee.chain.WorkloadInfo;
import io.wetee.chain.WorkloadKind;
import io.wetee.common.Json;
import io.wetee.common.spec.WorkloadSpec;
import io.wetee.secretnode.SecretClient;
import io.wetee.worker.k8s.KubernetesRuntimeConfig;
import io.wetee.worker.spi.Enforcement;
import io.wetee.worker.spi.Enforcement.Mechanism;
import io.wetee.worker.spi.LaunchSpec;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The planner's two modes: the local runtime's (loopback ports picked on this host, agent on
 * loopback, SIMULATED evidence from the quoting service, the host's JVM) and a cluster's (the
 * spec's own ports declared in the launch spec, agent on 0.0.0.0 from the pod's agent copy,
 * configfs-tsm evidence on a TDX or SEV-SNP worker), and how the mode follows the runtime.
 */
class InstancePlannerTest {
  private static final String YAML =
      """
      name: web
      kind: service
      tee: { types: [SIMULATED, TDX] }
      containers:
        - name: web
          image: 127.0.0.1:5000/web@sha256:%s
          command: [/bin/server]
          ports: [{ port: 8080, protocol: http, public: true }, { port: 7700, protocol: http }]
          resources: { cpu: 250m, memory: 64Mi, disk: 1Gi }
          health: { http: /health }
      """
          .formatted("ab".repeat(32));

  @TempDir Path dir;
  private AgentStaging staging;
  private QuotingService quoting;
  private WorkloadSpec spec;
  private byte[] specBytes;
  private final Deployment deployment =
      new Deployment(
          31337,
          "http://127.0.0.1:8545",
          0,
          Map.of(
              "Cloud", "0x" + "11".repeat(20),
              "Committee", "0x" + "22".repeat(20)),
          List.of());
  private final WorkloadInfo workload =
      new WorkloadInfo(
          9,
          "0x" + "33".repeat(20),
          1,
          WorkloadKind.SERVICE,
          WorkloadInfo.Status.PENDING,
          Set.of(TeeType.SIMULATED, TeeType.TDX),
          false,
          0,
          0,
          new Resources(250, 64, 1, 0),
          2,
          "0x" + "44".repeat(32),
          "0x" + "00".repeat(20),
          0,
          0,
          BigInteger.ONE,
          BigInteger.TEN,
          BigInteger.ZERO,
          0,
          BigInteger.ZERO,
          0,
          0,
          0,
          "web");
  // java = /bin/false: the local planner's background AOT training ends at once.
  private final WorkerConfig.Agent agent =
      new WorkerConfig.Agent("/bin/false", null, null, null, null, null);

  @BeforeEach
  void setUp() throws Exception {
    Path cls = Files.createDirectories(dir.resolve("classes/x"));
    Files.writeString(cls.resolve("A.txt"), "a");
    staging = AgentStaging.stage(dir.resolve("data"), List.of(dir.resolve("classes")));
    quoting =
        new QuotingService(
            SimulatedPlatform.generate(new SecureRandom()), Clock.systemUTC(), new SecureRandom());
    spec = WorkloadSpec.parseYaml(YAML);
    specBytes = spec.canonicalJson();
  }

  @Test
  void localModeKeepsLoopbackPortsTheHostJvmAndSimulatedEvidence() throws Exception {
    InstancePlanner planner = new InstancePlanner(agent, deployment, staging);
    assertThat(planner.mode()).isEqualTo(InstancePlanner.Mode.LOCAL);
    Placement p = planner.place(workload, -1, specBytes, spec, "bundle", quoting);
    assertThat(p.hostPorts()).containsOnlyKeys(8080, 7700);
    assertThat(p.hostPorts().values()).doesNotContain(8080).doesNotHaveDuplicates();
    assertThat(p.agentPort()).isNotIn(p.hostPorts().values());

    LaunchSpec ls = launchSpec(planner, p);
    assertThat(ls.command().get(0)).isEqualTo("/bin/false");
    assertThat(ls.command()).contains(staging.sandboxClassPath(), "io.wetee.agent.AgentMain");
    assertThat(ls.ports()).isEmpty(); // the local runtime does not map them: the worker picked
    assertThat(ls.env()).containsEntry("WETEE_PORT_8080", p.hostPorts().get(8080).toString());
    assertThat(ls.workload().orElseThrow().teeType()).isEqualTo("SIMULATED");
    JsonNode c = config(ls);
    assertThat(c.at("/listen/host").asText()).isEqualTo("127.0.0.1");
    assertThat(c.at("/listen/port").asInt()).isEqualTo(p.agentPort());
    assertThat(c.at("/evidence/type").asText()).isEqualTo("SIMULATED");
    assertThat(c.at("/evidence/quotingUrl").asText()).isEqualTo("http://127.0.0.1:1/quote");
    assertThat(c.at("/evidence/token").asText()).isEqualTo(p.token());
    assertThat(c.at("/health/port").asText()).isEqualTo(ls.env().get("PORT"));
    assertThat(p.hostPorts().values()).contains(c.at("/health/port").asInt());
  }

  @Test
  void clusterModeUsesTheSpecPortsThePodsAgentAndInGuestEvidence() throws Exception {
    InstancePlanner planner =
        new InstancePlanner(agent, deployment, staging, new InstancePlanner.Mode(true, "TDX"));
    Placement p = planner.place(workload, -1, specBytes, spec, "bundle", quoting);
    assertThat(p.hostPorts()).isEqualTo(Map.of(8080, 8080, 7700, 7700));
    assertThat(p.agentPort()).isEqualTo(7701); // 7700 is the program's

    LaunchSpec ls = launchSpec(planner, p);
    assertThat(ls.command())
        .startsWith(KubernetesRuntimeConfig.AGENT_JAVA)
        .containsSequence("-cp", KubernetesRuntimeConfig.AGENT_CLASS_PATH)
        .containsSequence("io.wetee.agent.AgentMain", "--config", "/work/agent.json")
        .noneMatch(a -> a.contains("AOTCache") || a.startsWith("/app/"));
    assertThat(ls.command()).containsAll(agent.javaOptions());
    assertThat(ls.ports()).containsExactlyInAnyOrder(8080, 7700);
    assertThat(ls.env()).containsEntry("WETEE_PORT_8080", "8080");
    assertThat(ls.workload().orElseThrow().teeType()).isEqualTo("TDX");
    JsonNode c = config(ls);
    assertThat(c.at("/listen/host").asText()).isEqualTo("0.0.0.0");
    assertThat(c.at("/listen/port").asInt()).isEqualTo(7701);
    assertThat(c.at("/evidence/type").asText()).isEqualTo("CONFIGFS_TSM");
    assertThat(c.at("/evidence").has("quotingUrl")).isFalse();
    assertThat(c.at("/evidence").has("token")).isFalse();
    // The agent checks the port the program is told first, which the pod's probe also calls.
    assertThat(c.at("/health/port").asInt()).isEqualTo(ls.ports().get(0));
    assertThat(ls.env()).containsEntry("PORT", ls.ports().get(0).toString());
  }

  @Test
  void aSimulatedClusterKeepsTheQuotingServiceEvidence() throws Exception {
    InstancePlanner planner =
        new InstancePlanner(
            agent, deployment, staging, new InstancePlanner.Mode(true, "SIMULATED"));
    Placement p = planner.place(workload, -1, specBytes, spec, "bundle", quoting);
    JsonNode c = config(launchSpec(planner, p));
    assertThat(c.at("/listen/host").asText()).isEqualTo("0.0.0.0");
    assertThat(c.at("/evidence/type").asText()).isEqualTo("SIMULATED");
    assertThat(c.at("/evidence/token").asText()).isEqualTo(p.token());
  }

  @Test
  void theModeFollowsTheRuntimesEnforcementAndTheWorkersTeeTypes() {
    Enforcement cluster =
        new Enforcement(
            Mechanism.CLUSTER,
            Mechanism.CLUSTER,
            Mechanism.NONE,
            Mechanism.NONE,
            Mechanism.CLUSTER,
            true,
            "k8s");
    Enforcement local =
        new Enforcement(
            Mechanism.CGROUP_V2,
            Mechanism.CGROUP_V2,
            Mechanism.CGROUP_V2,
            Mechanism.RLIMIT,
            Mechanism.TMPFS,
            true,
            "host");
    assertThat(InstancePlanner.Mode.of(local, Set.of(TeeType.TDX)))
        .isEqualTo(InstancePlanner.Mode.LOCAL);
    assertThat(InstancePlanner.Mode.of(cluster, Set.of(TeeType.SIMULATED, TeeType.TDX)))
        .isEqualTo(new InstancePlanner.Mode(true, "TDX"));
    assertThat(InstancePlanner.Mode.of(cluster, Set.of(TeeType.SEV_SNP)))
        .isEqualTo(new InstancePlanner.Mode(true, "SEV_SNP"));
    assertThat(InstancePlanner.Mode.of(cluster, Set.of(TeeType.SIMULATED)))
        .isEqualTo(new InstancePlanner.Mode(true, "SIMULATED"));
    assertThat(new InstancePlanner.Mode(true, "TDX").inGuestEvidence()).isTrue();
    assertThat(InstancePlanner.Mode.LOCAL.inGuestEvidence()).isFalse();
    assertThatThrownBy(() -> new InstancePlanner.Mode(true, "TDX2"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private LaunchSpec launchSpec(InstancePlanner planner, Placement p) {
    return planner.launchSpec(
        p,
        workload,
        specBytes,
        spec,
        dir.resolve("app"),
        "http://127.0.0.1:1/quote",
        List.of(new SecretClient.Member(0, "0x" + "55".repeat(20), "http://127.0.0.1:2")),
        1,
        "0x" + "66".repeat(33));
  }

  private static JsonNode config(LaunchSpec ls) throws Exception {
    byte[] content =
        ls.files().stream()
            .filter(f -> f.path().equals(InstancePlanner.CONFIG_FILE))
            .findFirst()
            .orElseThrow()
            .content();
    return Json.strict().readTree(new String(content, StandardCharsets.UTF_8));
  }
}
