package io.wetee.worker.node;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wetee.agent.QuotingService;
import io.wetee.attestation.TeeType;
import io.wetee.chain.Deployment;
import io.wetee.chain.WorkloadInfo;
import io.wetee.common.Hex;
import io.wetee.common.Json;
import io.wetee.common.spec.WorkloadSpec;
import io.wetee.secretnode.SecretClient;
import io.wetee.worker.k8s.KubernetesRuntimeConfig;
import io.wetee.worker.spi.Enforcement;
import io.wetee.worker.spi.FileToWrite;
import io.wetee.worker.spi.LaunchSpec;
import io.wetee.worker.spi.Limits;
import io.wetee.worker.spi.RestartPolicy;
import io.wetee.worker.spi.WorkloadRuntime;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Maps a workload (its on-chain record and spec) to what runs: a {@link Placement} and the {@link
 * LaunchSpec} whose program is the agent, with the agent config the agent README asks the worker to
 * write.
 *
 * <p>Design notes: the sandbox shares the host's network namespace, so the agent's control port and
 * the program's ports are host ports on 127.0.0.1. The worker picks them itself (rather than
 * letting the runtime map spec ports) because the agent config, written before the launch, must
 * name the control port and the port the health check calls; the program learns its ports from
 * {@code PORT} and {@code WETEE_PORT_<port>}, which the agent passes through. Everything that goes
 * into the launch spec is in the placement, so the same launch spec is rebuilt after a restart and
 * the runtime's idempotent start recognises it. The memory and CPU limits are the workload's
 * resources plus the agent's own overhead (its JVM shares the sandbox).
 *
 * <p>In a cluster ({@link Mode#cluster}: the Kubernetes runtime, ADR 11) each instance is a pod
 * with its own network namespace, reached by the worker at the pod's IP: the program's ports are
 * the spec's own numbers (declared in the launch spec, so the pod declares them, its Services
 * select them and its readiness probe calls the first), the agent listens on {@code 0.0.0.0} at
 * {@link #CLUSTER_AGENT_PORT} (the next free number if the spec uses it), runs from the agent the
 * init container copied to {@link KubernetesRuntimeConfig#AGENT_MOUNT} (its own Java runtime, not
 * the host's), and gets its evidence in the guest ({@code CONFIGFS_TSM}) on a TDX or SEV-SNP
 * worker. The loopback quoting service stays the local runtime's (and SIMULATED's) source.
 */
final class InstancePlanner {
  static final String CONFIG_FILE = "agent.json";

  /** The agent's control port inside a pod (the agent's default). */
  static final int CLUSTER_AGENT_PORT = 7700;

  /**
   * Where the planned instances run.
   *
   * @param cluster whether instances are pods of a cluster (their own network, reached at their
   *     address) rather than sandboxes sharing this host's loopback
   * @param teeType the TEE type instances run on and attest as: {@code SIMULATED} on the local
   *     runtime; in a cluster the worker's hardware TEE type when it has one
   */
  record Mode(boolean cluster, String teeType) {
    /** Sandboxes on this host with SIMULATED evidence from the worker's quoting service. */
    static final Mode LOCAL = new Mode(false, TeeType.SIMULATED.name());

    Mode {
      TeeType.valueOf(teeType); // fails on a name that is not a TEE type
    }

    /**
     * The mode of a runtime that enforces {@code e}: a cluster when it enforces limits through a
     * cluster (the memory limit's mechanism is {@link Enforcement.Mechanism#CLUSTER}, see {@link
     * WorkloadRuntime#enforcement()}); then the TEE type is TDX, else SEV_SNP, when the worker's
     * registered types ({@code workerTee}) name it, else SIMULATED.
     */
    static Mode of(Enforcement e, java.util.Collection<TeeType> workerTee) {
      if (e.memory() != Enforcement.Mechanism.CLUSTER) {
        return LOCAL;
      }
      for (TeeType t : List.of(TeeType.TDX, TeeType.SEV_SNP)) {
        if (workerTee.contains(t)) {
          return new Mode(true, t.name());
        }
      }
      return new Mode(true, TeeType.SIMULATED.name());
    }

    /** Whether the agent gets its evidence in the guest rather than from the quoting service. */
    boolean inGuestEvidence() {
      return cluster && !teeType.equals(TeeType.SIMULATED.name());
    }
  }

  private final WorkerConfig.Agent agent;
  private final Deployment deployment;
  private final AgentStaging staging;
  private final String java;
  private final Mode mode;

  /** A planner for the local runtime ({@link Mode#LOCAL}). */
  InstancePlanner(WorkerConfig.Agent agent, Deployment deployment, AgentStaging staging) {
    this(agent, deployment, staging, Mode.LOCAL);
  }

  InstancePlanner(
      WorkerConfig.Agent agent, Deployment deployment, AgentStaging staging, Mode mode) {
    this.agent = agent;
    this.deployment = deployment;
    this.staging = staging;
    this.mode = mode;
    this.java = agent.java() != null ? agent.java() : defaultJava();
    if (!mode.cluster()) {
      // In the background: agents launched before the cache is ready start without it.
      var unused = staging.trainAotCache(java, agent.javaOptions());
    }
  }

  Mode mode() {
    return mode;
  }

  /** A new placement: fresh ports and the quoting token registered for the spec's measurement. */
  Placement place(
      WorkloadInfo w,
      long runId,
      byte[] spec,
      WorkloadSpec parsed,
      String bundle,
      QuotingService q) {
    Set<Integer> used = new HashSet<>();
    Map<Integer, Integer> host = new TreeMap<>();
    int agentPort;
    if (mode.cluster()) {
      // A pod has its own network: the spec's own port numbers, the agent's beside them.
      for (WorkloadSpec.Port p : ports(parsed)) {
        host.put(p.port(), p.port());
      }
      agentPort = CLUSTER_AGENT_PORT;
      while (host.containsKey(agentPort)) {
        agentPort++;
      }
    } else {
      agentPort = freePort(used);
      for (WorkloadSpec.Port p : ports(parsed)) {
        host.put(p.port(), freePort(used));
      }
    }
    String measurement = QuotingService.measurementOf(spec).toHex();
    String token = q.register(QuotingService.measurementOf(spec));
    return new Placement(
        Placement.idFor(w.id(), w.version(), runId),
        w.id(),
        w.version(),
        runId,
        agentPort,
        host,
        token,
        measurement,
        bundle);
  }

  /** The launch spec of a placement (the same one every time for the same inputs). */
  LaunchSpec launchSpec(
      Placement p,
      WorkloadInfo w,
      byte[] spec,
      WorkloadSpec parsed,
      Path appDir,
      String quotingUrl,
      List<SecretClient.Member> members,
      int quorum,
      String groupKey) {
    String config = agentConfig(p, spec, parsed, quotingUrl, members, quorum, groupKey);
    List<String> command = new ArrayList<>();
    if (mode.cluster()) {
      // The agent the init container copied into the pod, with its own Java runtime.
      command.add(KubernetesRuntimeConfig.AGENT_JAVA);
      command.addAll(agent.javaOptions());
      command.addAll(List.of("-cp", KubernetesRuntimeConfig.AGENT_CLASS_PATH));
    } else {
      command.add(java);
      command.addAll(staging.jvmOptions(agent.javaOptions(), appDir));
      command.addAll(List.of("-cp", staging.sandboxClassPath()));
    }
    command.addAll(List.of("io.wetee.agent.AgentMain", "--config", "/work/" + CONFIG_FILE));
    LaunchSpec.Builder b =
        LaunchSpec.builder(p.instanceId(), Long.toString(p.workloadId()), p.version())
            .appDir(appDir)
            .command(command)
            .workingDir("/work")
            .env("PATH", "/usr/local/bin:/usr/bin:/bin")
            .env("LANG", "C.UTF-8")
            .file(FileToWrite.text(CONFIG_FILE, config))
            .restart(RestartPolicy.NEVER)
            .limits(limits(w))
            .workload(WorkloadMetas.of(w, parsed, mode.teeType()));
    if (mode.cluster()) {
      p.hostPorts().keySet().forEach(b::port); // the pod declares them (Services, probe)
    }
    boolean first = true;
    for (Map.Entry<Integer, Integer> e : p.hostPorts().entrySet()) {
      if (first) {
        b.env("PORT", Integer.toString(e.getValue()));
        first = false;
      }
      b.env("WETEE_PORT_" + e.getKey(), Integer.toString(e.getValue()));
    }
    return b.build();
  }

  private Limits limits(WorkloadInfo w) {
    long mem = (w.resources().memory() + agent.memoryOverheadMiB()) << 20;
    int cpu = (int) Math.min(Integer.MAX_VALUE, w.resources().cpu() + agent.cpuOverheadMillis());
    return Limits.DEFAULT.withMemoryBytes(mem).withCpuMillis(cpu).withMaxProcesses(512);
  }

  private String agentConfig(
      Placement p,
      byte[] spec,
      WorkloadSpec parsed,
      String quotingUrl,
      List<SecretClient.Member> members,
      int quorum,
      String groupKey) {
    ObjectNode c = Json.strict().createObjectNode();
    c.put("workloadId", p.workloadId()).put("version", p.version());
    c.put("spec", new String(spec, StandardCharsets.UTF_8));
    c.put("container", parsed.containers().get(0).name());
    c.putObject("network")
        .put("chainId", deployment.chainId())
        .put("cloud", deployment.address("Cloud"))
        .put("committee", deployment.address("Committee"));
    ObjectNode committee = c.putObject("committee");
    ArrayNode ms = committee.putArray("members");
    for (SecretClient.Member m : members) {
      ms.addObject()
          .put("index", m.index())
          .put("address", m.address())
          .put("endpoint", m.endpoint());
    }
    committee.put("quorum", quorum).put("groupKey", groupKey).put("timeoutMillis", 10_000);
    if (mode.inGuestEvidence()) {
      // configfs-tsm of the confidential VM the pod runs in (TDX or SEV-SNP).
      c.putObject("evidence").put("type", "CONFIGFS_TSM");
    } else {
      c.putObject("evidence")
          .put("type", "SIMULATED")
          .put("quotingUrl", quotingUrl)
          .put("token", p.token());
    }
    // In a pod the worker calls the agent at the pod's IP; on this host only loopback.
    c.putObject("listen")
        .put("host", mode.cluster() ? "0.0.0.0" : "127.0.0.1")
        .put("port", p.agentPort());
    c.putObject("paths").put("filesRoot", "/work/files").put("workDir", "/app");
    if (!p.hostPorts().isEmpty()) {
      c.putObject("health").put("port", p.hostPorts().values().iterator().next());
    }
    c.putObject("reattest").put("beforeExpirySeconds", agent.reattestBeforeSeconds() + 300);
    if (p.isTask()) {
      c.putObject("task")
          .put("runId", p.runId())
          .put("resultFile", "/work/result")
          .put("lingerSeconds", 600)
          // The last completed run keeps serving its logs until the next run retires it.
          .put("keepSeconds", 3600);
    }
    return c.toString();
  }

  static List<WorkloadSpec.Port> ports(WorkloadSpec s) {
    List<WorkloadSpec.Port> ports = s.containers().get(0).ports();
    return ports == null ? List.of() : ports;
  }

  private static int freePort(Set<Integer> used) {
    for (int i = 0; i < 50; i++) {
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        if (used.add(s.getLocalPort())) {
          return s.getLocalPort();
        }
      } catch (IOException e) {
        throw new io.wetee.worker.WorkerException("no free loopback port", e);
      }
    }
    throw new io.wetee.worker.WorkerException("no free loopback port");
  }

  private static String defaultJava() {
    String self = ProcessHandle.current().info().command().orElse("/usr/bin/java");
    return self.startsWith("/usr/") ? self : "/usr/bin/java";
  }

  static String hex(byte[] b) {
    return Hex.encode0x(b);
  }
}
