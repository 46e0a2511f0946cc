package io.wetee.worker.node;

import io.javalin.Javalin;
import io.wetee.agent.QuotingService;
import io.wetee.attestation.SimulatedPlatform;
import io.wetee.attestation.TeeType;
import io.wetee.chain.ChainClient;
import io.wetee.chain.Deployment;
import io.wetee.chain.EventFollower;
import io.wetee.chain.FileCursorStore;
import io.wetee.chain.Resources;
import io.wetee.chain.WorkerInfo;
import io.wetee.chain.WorkerSpec;
import io.wetee.crypto.Bytes32;
import io.wetee.worker.BundleCache;
import io.wetee.worker.LocalRuntimeConfig;
import io.wetee.worker.Runtimes;
import io.wetee.worker.WorkerException;
import io.wetee.worker.k8s.KubernetesRuntime;
import io.wetee.worker.proxy.ProxyConfig;
import io.wetee.worker.proxy.ReverseProxy;
import io.wetee.worker.spi.ExitReason;
import io.wetee.worker.spi.InstanceState;
import io.wetee.worker.spi.InstanceStatus;
import io.wetee.worker.spi.WorkloadRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;

/**
 * The worker process (DESIGN §2, §7; issue #5), and its one composition root. {@link #start}: load
 * the keys, make sure the worker is registered, staked and its SIMULATED platform identity is on
 * Subnet, open the local runtime (which adopts the instances a previous run left), the bundle
 * cache, the proxy and the quoting service, reconcile every workload it knew, then follow Cloud's
 * events and the chain's head. {@link #close} stops following and serving; instances keep running
 * (a restarted worker adopts them) unless {@link #closeAndRemoveInstances} is used (the devnet).
 */
public final class WorkerNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerNode.class);

  private final WorkerConfig config;
  private volatile WorkerContext ctx;
  private volatile Reconciler rec;
  private final AgentWait agents =
      new AgentWait(id -> ctx == null ? Optional.empty() : ctx.runtime().status(id));
  private WorkerApi api;
  private Javalin quotingApp;
  private EventFollower follower;
  private Thread ticker;
  private volatile boolean closed;

  private WorkerNode(WorkerConfig config) {
    this.config = config;
  }

  /** Starts the worker; on failure everything opened so far is closed again. */
  public static WorkerNode start(WorkerConfig config) {
    WorkerNode n = new WorkerNode(config);
    try {
      n.open();
      return n;
    } catch (RuntimeException e) {
      n.close();
      throw e;
    }
  }

  private void open() {
    Path data = config.dataDir().toAbsolutePath();
    mkdir(data);
    Deployment d = Deployment.load(config.deployment());
    ChainClient chain = ChainClient.connect(d, Optional.of(credentials(d)));
    SimulatedPlatform platform =
        PlatformKeys.loadOrCreate(data.resolve("platform.sealed"), config.passphrase());
    api = WorkerApi.start(config.listen().host(), config.listen().port(), this);
    long workerId = registered(chain, platform);
    WorkerInfo info = chain.subnet().worker(workerId);
    WorkloadRuntime runtime = openRuntime(config, data);
    QuotingService quoting = new QuotingService(platform, Clock.systemUTC(), new SecureRandom());
    quotingApp = Javalin.create(c -> c.showJavalinBanner = false);
    quoting.routes(quotingApp);
    quotingApp.start("127.0.0.1", config.quoting().port());
    WorkerState state = WorkerState.open(data.resolve("state"));
    AgentStaging staging = AgentStaging.stage(data);
    ReverseProxy proxy =
        ReverseProxy.open(
            new ProxyConfig(
                data.resolve("proxy.json"),
                config.proxy().host(),
                config.proxy().portFrom(),
                config.proxy().portTo(),
                Duration.ofSeconds(2)));
    ctx =
        new WorkerContext(
            config,
            chain,
            workerId,
            runtime,
            proxy,
            BundleCache.open(data.resolve("bundles")),
            staging,
            new InstancePlanner(
                config.agent(),
                d,
                staging,
                InstancePlanner.Mode.of(runtime.enforcement(), info.teeTypes())),
            state,
            quoting,
            "http://127.0.0.1:" + quotingApp.port() + QuotingService.PATH,
            chain.cloud().settleInterval(),
            info.capacity(),
            new ConcurrentHashMap<>());
    rec = new Reconciler(id -> drive(id));
    runtime.subscribe(this::lost);
    this.driver = new WorkloadDriver(ctx, rec, agents);
    adopt(state, runtime, quoting);
    rec.onHead(chain.blockNumber());
    follower =
        new EventFollower(
            chain.web3j(),
            EventFollower.Config.of(List.of(d.address("Cloud")), d.deployBlock())
                .withPollInterval(Duration.ofMillis(config.chain().pollMillis()))
                .withConfirmations(config.chain().confirmations()),
            new FileCursorStore(data.resolve("cursors")),
            "worker-" + workerId,
            new ChainWatch(workerId, d.address("Cloud"), state, rec));
    follower.start();
    ticker = Thread.ofVirtual().name("worker-ticker").start(this::tick);
    LOG.info(
        "worker {} ({}) running: API on port {}, runtime {} ({})",
        workerId,
        chain.account().orElseThrow(),
        api.port(),
        runtime.name(),
        runtime.enforcement().describe());
  }

  private WorkloadDriver driver;

  /** The runtime the config chooses; the reconciler above it is the same for every kind. */
  private static WorkloadRuntime openRuntime(WorkerConfig config, Path data) {
    return config.runtime().isKubernetes()
        ? KubernetesRuntime.open(config.runtime().kubernetes())
        : Runtimes.local(
            LocalRuntimeConfig.defaults(data.resolve("runtime")).withStartAllowance(true));
  }

  /**
   * An instance whose objects vanished behind the runtime's back (a pod or Deployment deleted in
   * the cluster) is reconciled at once: its placement names it, so the reconcile starts it again.
   */
  private void lost(InstanceStatus s) {
    if (s.state() instanceof InstanceState.Exited e
        && e.reason() == ExitReason.LOST
        && rec != null) {
      try {
        rec.touch(Long.parseLong(s.workloadId()));
      } catch (NumberFormatException e2) {
        LOG.warn("instance {} has a non-numeric workload id {}", s.id(), s.workloadId());
      }
    }
  }

  private void drive(long id) {
    driver.reconcile(id);
  }

  /** Restores quoting tokens, removes instances no placement names, reconciles what was known. */
  private void adopt(WorkerState state, WorkloadRuntime runtime, QuotingService quoting) {
    Set<String> placed = new HashSet<>();
    for (Placement p : state.placements()) {
      quoting.restore(p.token(), Bytes32.fromHex(p.measurement()));
      placed.add(p.id());
    }
    for (InstanceStatus s : runtime.list()) {
      if (!placed.contains(s.id().value())) {
        LOG.info("removing instance {}: no placement names it", s.id());
        runtime.remove(s.id());
      }
    }
    Set<Long> ids = new HashSet<>(state.workloads());
    ids.addAll(state.placements().stream().map(Placement::workloadId).collect(Collectors.toSet()));
    ids.forEach(rec::touch);
  }

  private void tick() {
    while (!closed) {
      try {
        rec.onHead(ctx.chain().blockNumber());
        Thread.sleep(config.chain().pollMillis());
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.warn("cannot read the chain head: {}", e.getMessage());
        sleep(1000);
      }
    }
  }

  private long registered(ChainClient chain, SimulatedPlatform platform) {
    String account = chain.account().orElseThrow();
    long id;
    if (config.workerId() != null) {
      id = config.workerId();
    } else {
      Optional<WorkerInfo> mine =
          chain.subnet().workers().stream()
              .filter(
                  w ->
                      w.account().equalsIgnoreCase(account)
                          && w.status() == WorkerInfo.Status.REGISTERED)
              .findFirst();
      if (mine.isPresent()) {
        id = mine.get().id();
        refreshEndpoint(chain, mine.get());
      } else {
        WorkerConfig.Register r =
            Optional.ofNullable(config.register())
                .orElseThrow(
                    () ->
                        new WorkerException(
                            "account "
                                + account
                                + " has no worker and the config has no register block"));
        String endpoint =
            r.endpoint() != null
                ? r.endpoint()
                : "http://" + config.listen().host() + ":" + api.port();
        id =
            chain
                .subnet()
                .registerWorker(
                    new WorkerSpec(
                        r.name(),
                        endpoint,
                        r.region(),
                        r.level(),
                        r.tee().stream().map(TeeType::valueOf).collect(Collectors.toSet()),
                        new Resources(
                            r.capacity().cpu(),
                            r.capacity().memory(),
                            r.capacity().disk(),
                            r.capacity().gpu())));
        chain.subnet().stakeWorker(id, r.stake());
        LOG.info("registered worker {} at {} and staked {} wei", id, endpoint, r.stake());
      }
    }
    this.workerId = id;
    if (chain.subnet().platformWorker(TeeType.SIMULATED, platform.publicKey()).isEmpty()) {
      chain.subnet().registerPlatform(id, TeeType.SIMULATED, platform.publicKey());
      LOG.info("registered the SIMULATED platform identity of worker {}", id);
    }
    return id;
  }

  private volatile long workerId = -1;

  /** A worker whose API port is chosen at start (port 0) publishes where it listens now. */
  private void refreshEndpoint(ChainClient chain, WorkerInfo w) {
    boolean explicit = config.register() != null && config.register().endpoint() != null;
    String now = "http://" + config.listen().host() + ":" + api.port();
    if (!explicit && config.listen().port() == 0 && !w.endpoint().equals(now)) {
      chain
          .subnet()
          .updateWorker(
              w.id(),
              new WorkerSpec(w.name(), now, w.regionId(), w.levelId(), w.teeTypes(), w.capacity()));
      LOG.info("worker {}: endpoint updated to {}", w.id(), now);
    }
  }

  private Credentials credentials(Deployment d) {
    if (config.account().devAccount() != null) {
      return Credentials.create(d.account(config.account().devAccount()).privateKey());
    }
    try {
      return Credentials.create(Files.readString(config.account().keyFile()).strip());
    } catch (IOException e) {
      throw new WorkerException("cannot read the key file " + config.account().keyFile(), e);
    }
  }

  // ------------------------------------------------------------------ accessors

  public long workerId() {
    return workerId;
  }

  long workerIdOrMinus() {
    return workerId;
  }

  /** The port of the worker API. */
  public int apiPort() {
    return api.port();
  }

  /** What the worker says about a workload. */
  public Optional<WorkloadStatus> status(long workloadId) {
    return rec == null ? Optional.empty() : rec.status(workloadId);
  }

  /** The runtime (for tests and tools). */
  public WorkloadRuntime runtime() {
    return ctx.runtime();
  }

  /** Reconciles run so far (for benches). */
  public long reconciles() {
    return rec.reconciles();
  }

  WorkerContext context() {
    return ctx;
  }

  AgentWait agents() {
    return agents;
  }

  // ------------------------------------------------------------------ closing

  /** Stops following, reconciling and serving; instances keep running for the next start. */
  @Override
  public void close() {
    closed = true;
    if (follower != null) {
      follower.close();
    }
    if (ticker != null) {
      ticker.interrupt();
    }
    if (rec != null) {
      rec.close();
    }
    if (api != null) {
      api.stop();
    }
    if (quotingApp != null) {
      quotingApp.stop();
    }
    if (ctx != null) {
      ctx.proxy().close();
      ctx.runtime().close();
      ctx.chain().close();
    }
  }

  /** Closes and removes every instance too (a devnet going away with its chain). */
  public void closeAndRemoveInstances() {
    WorkerContext c = ctx;
    close();
    if (c != null) {
      try (WorkloadRuntime r = openRuntime(c.config(), c.config().dataDir().toAbsolutePath())) {
        r.list().forEach(s -> r.remove(s.id()));
      }
    }
  }

  private static void mkdir(Path dir) {
    try {
      Files.createDirectories(dir);
      // Sandboxes reach their program directory (dataDir/apps) under their own uids.
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
    } catch (IOException e) {
      throw new WorkerException("cannot create " + dir, e);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
