package io.wetee.worker.node;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.core.JacksonException;
import io.wetee.common.Json;
import io.wetee.common.Secret;
import io.wetee.worker.k8s.KubernetesRuntimeConfig;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The worker process's configuration, one immutable record tree: YAML file &lt; {@code WETEE_*}
 * environment &lt; flags ({@link #load}). Unknown fields fail; {@link #toString()} shows no secret.
 *
 * @param deployment the deployment file (chain id, RPC URL, contract addresses)
 * @param dataDir the worker's state: sealed platform key, cursors, instance records, bundles
 * @param account the worker's Ethereum account ({@code keyFile}, or {@code devAccount} on a devnet)
 * @param workerId the registered worker id; absent: the account's worker, registered from {@code
 *     register} when it has none
 * @param register what to register (and stake) when the account has no worker yet
 * @param listen the worker API (status, owner-signed logs and metrics, public attestation)
 * @param quoting the SIMULATED quoting service for the instances (loopback only)
 * @param proxy the public ports of workloads
 * @param agent how instances run the agent
 * @param chain how the chain is followed
 * @param passphrase seals the platform key on disk ({@code WETEE_SEAL_PASSPHRASE} overrides)
 * @param runtime where instances run: {@code local} (default) or {@code {kind: kubernetes, ...}}
 */
public record WorkerConfig(
    Path deployment,
    Path dataDir,
    Account account,
    Long workerId,
    Register register,
    Listen listen,
    Listen quoting,
    Proxy proxy,
    Agent agent,
    Chain chain,
    Secret passphrase,
    RuntimeConfig runtime) {

  /** The configuration as it was before the runtime choice: the local runtime. */
  public WorkerConfig(
      Path deployment,
      Path dataDir,
      Account account,
      Long workerId,
      Register register,
      Listen listen,
      Listen quoting,
      Proxy proxy,
      Agent agent,
      Chain chain,
      Secret passphrase) {
    this(
        deployment,
        dataDir,
        account,
        workerId,
        register,
        listen,
        quoting,
        proxy,
        agent,
        chain,
        passphrase,
        null);
  }

  /**
   * Which runtime runs the instances. {@code runtime: local} (or absent) is the bubblewrap sandbox
   * on this host; {@code runtime: {kind: kubernetes, kubeconfig: PATH, namespacePrefix,
   * runtimeClasses, agentImage, agentSource, serviceType, imagePullPolicy, context}} a cluster (see
   * {@link KubernetesRuntimeConfig} for each field). The reconciler is the same for both.
   */
  public record RuntimeConfig(
      String kind,
      Path kubeconfig,
      String context,
      String namespacePrefix,
      Map<String, String> runtimeClasses,
      String agentImage,
      String agentSource,
      String serviceType,
      String imagePullPolicy) {
    /** The local runtime. */
    public static final RuntimeConfig LOCAL =
        new RuntimeConfig("local", null, null, null, null, null, null, null, null);

    @JsonCreator
    public RuntimeConfig {
      kind = kind == null ? "local" : kind;
      if (!kind.equals("local") && !kind.equals("kubernetes")) {
        throw new IllegalArgumentException("runtime.kind must be local or kubernetes, got " + kind);
      }
      if (kind.equals("local")
          && (kubeconfig != null || agentImage != null || runtimeClasses != null)) {
        throw new IllegalArgumentException(
            "runtime: kubeconfig, agentImage and runtimeClasses belong to kind: kubernetes");
      }
      if (kind.equals("kubernetes")) {
        // Validates every field now, at load (fields are not assigned yet in this constructor).
        new KubernetesRuntimeConfig(
            Optional.ofNullable(kubeconfig),
            Optional.ofNullable(context),
            namespacePrefix,
            runtimeClasses,
            agentImage,
            agentSource,
            serviceType,
            imagePullPolicy);
      }
    }

    /** {@code runtime: local} or {@code runtime: kubernetes} in YAML. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static RuntimeConfig of(String kind) {
      return new RuntimeConfig(kind, null, null, null, null, null, null, null, null);
    }

    public boolean isKubernetes() {
      return kind.equals("kubernetes");
    }

    /** The Kubernetes runtime's settings (only for {@code kind: kubernetes}). */
    public KubernetesRuntimeConfig kubernetes() {
      if (!isKubernetes()) {
        throw new IllegalStateException("runtime kind is " + kind);
      }
      return new KubernetesRuntimeConfig(
          Optional.ofNullable(kubeconfig),
          Optional.ofNullable(context),
          namespacePrefix,
          runtimeClasses,
          agentImage,
          agentSource,
          serviceType,
          imagePullPolicy);
    }

    RuntimeConfig resolve(Path base) {
      return kubeconfig == null
          ? this
          : new RuntimeConfig(
              kind,
              base.resolve(kubeconfig),
              context,
              namespacePrefix,
              runtimeClasses,
              agentImage,
              agentSource,
              serviceType,
              imagePullPolicy);
    }
  }

  /** Where the account key comes from. */
  public record Account(Integer devAccount, Path keyFile) {}

  /**
   * A worker registration: name, endpoint (default the API's URL), region, level, TEE types,
   * capacity (milli-cores, MiB, GiB, GPUs) and the stake in wei.
   */
  public record Register(
      String name,
      String endpoint,
      Integer region,
      Integer level,
      List<String> tee,
      Capacity capacity,
      BigInteger stake) {
    public Register {
      name = name == null ? "worker" : name;
      region = region == null ? 0 : region;
      level = level == null ? 0 : level;
      tee = tee == null ? List.of("SIMULATED") : List.copyOf(tee);
      capacity = capacity == null ? new Capacity(4000L, 8192L, 100L, 0) : capacity;
      stake = stake == null ? BigInteger.TEN.pow(18) : stake;
    }
  }

  /** Capacity offered: milli-cores, MiB, GiB, GPUs. */
  public record Capacity(Long cpu, Long memory, Long disk, Integer gpu) {
    public Capacity {
      cpu = cpu == null ? 4000 : cpu;
      memory = memory == null ? 8192 : memory;
      disk = disk == null ? 100 : disk;
      gpu = gpu == null ? 0 : gpu;
    }
  }

  /** A loopback or public listener; port 0 picks a free one. */
  public record Listen(String host, Integer port) {
    public Listen {
      host = host == null ? "127.0.0.1" : host;
      port = port == null ? 0 : port;
    }
  }

  /** The proxy binds {@code host} and gives each public workload port one port of the range. */
  public record Proxy(String host, Integer portFrom, Integer portTo) {
    public Proxy {
      host = host == null ? "127.0.0.1" : host;
      portFrom = portFrom == null ? 20_000 : portFrom;
      portTo = portTo == null ? 20_999 : portTo;
    }
  }

  /**
   * @param java the java binary inside the sandbox (default: this JVM's when under /usr)
   * @param javaOptions options of the agent's JVM
   * @param memoryOverheadMiB added to a workload's memory for the agent's own JVM
   * @param cpuOverheadMillis added to a workload's CPU limit for the agent
   * @param startTimeoutSeconds how long an agent may take to attest and start the program
   * @param reattestBeforeSeconds renew verdicts on chain this long before they expire
   */
  public record Agent(
      String java,
      List<String> javaOptions,
      Long memoryOverheadMiB,
      Integer cpuOverheadMillis,
      Long startTimeoutSeconds,
      Long reattestBeforeSeconds) {
    public Agent {
      javaOptions =
          javaOptions == null
              ? List.of(
                  "-Xmx96m",
                  "-Xss512k",
                  "-XX:+UseSerialGC",
                  "-XX:TieredStopAtLevel=1",
                  "-XX:-UsePerfData",
                  "-Xshare:auto")
              : List.copyOf(javaOptions);
      memoryOverheadMiB = memoryOverheadMiB == null ? 256 : memoryOverheadMiB;
      cpuOverheadMillis = cpuOverheadMillis == null ? 1000 : cpuOverheadMillis;
      startTimeoutSeconds = startTimeoutSeconds == null ? 90 : startTimeoutSeconds;
      reattestBeforeSeconds = reattestBeforeSeconds == null ? 900 : reattestBeforeSeconds;
    }
  }

  /** Chain polling: head poll interval and confirmations behind the head. */
  public record Chain(Long pollMillis, Integer confirmations) {
    public Chain {
      pollMillis = pollMillis == null ? 300 : pollMillis;
      confirmations = confirmations == null ? 0 : confirmations;
    }
  }

  public WorkerConfig {
    if (deployment == null || dataDir == null) {
      throw new IllegalArgumentException("deployment and dataDir are required");
    }
    account = account == null ? new Account(null, null) : account;
    if (account.devAccount() == null && account.keyFile() == null) {
      throw new IllegalArgumentException("account needs keyFile or devAccount");
    }
    listen = listen == null ? new Listen(null, 7300) : listen;
    quoting = quoting == null ? new Listen(null, 0) : quoting;
    if (!quoting.host().equals("127.0.0.1")) {
      throw new IllegalArgumentException("quoting.host must be 127.0.0.1 (never public)");
    }
    proxy = proxy == null ? new Proxy(null, null, null) : proxy;
    agent = agent == null ? new Agent(null, null, null, null, null, null) : agent;
    chain = chain == null ? new Chain(null, null) : chain;
    passphrase = passphrase == null ? Secret.of("") : passphrase;
    runtime = runtime == null ? RuntimeConfig.LOCAL : runtime;
  }

  /**
   * Loads a YAML file, then applies the environment ({@code WETEE_SEAL_PASSPHRASE}, {@code
   * WETEE_DEPLOYMENT}); relative paths are resolved against the file's directory.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static WorkerConfig load(Path file, Map<String, String> env) {
    WorkerConfig c;
    try {
      c = Json.yaml().readValue(Files.readString(file), WorkerConfig.class);
    } catch (JacksonException e) {
      throw new IllegalArgumentException(
          "invalid worker config " + file + ": " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (c == null) {
      throw new IllegalArgumentException("empty worker config " + file);
    }
    Path base = file.toAbsolutePath().getParent();
    Secret pass =
        Optional.ofNullable(env.get("WETEE_SEAL_PASSPHRASE")).map(Secret::of).orElse(c.passphrase);
    Path dep = Optional.ofNullable(env.get("WETEE_DEPLOYMENT")).map(Path::of).orElse(c.deployment);
    Path kf = c.account.keyFile() == null ? null : base.resolve(c.account.keyFile());
    return new WorkerConfig(
        base.resolve(dep),
        base.resolve(c.dataDir),
        new Account(c.account.devAccount(), kf),
        c.workerId,
        c.register,
        c.listen,
        c.quoting,
        c.proxy,
        c.agent,
        c.chain,
        pass,
        c.runtime.resolve(base));
  }
}
