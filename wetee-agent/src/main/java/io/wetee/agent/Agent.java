package io.wetee.agent;

import io.wetee.common.spec.SpecException;
import io.wetee.crypto.Bytes32;
import io.wetee.crypto.Keccak;
import io.wetee.crypto.PrivateKey;
import io.wetee.secretnode.ReleaseOutcome;
import io.wetee.secretnode.SecretClient;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running agent: the composition root of one workload instance (DESIGN §2 "Agent", §7.1).
 *
 * <p>{@link #start} makes the instance key (in memory only; it never leaves this process and is
 * never written anywhere), starts the control API, and attests on a virtual thread: evidence
 * binding the key, verdicts and secrets from the committee. Only when that succeeded are the
 * secrets written and the program started; any failure leaves the agent in {@link
 * AgentState.Failed} with a {@link FailureReason} and the program never runs (fail closed). Then it
 * supervises the program, samples metrics, checks health and renews its verdicts before they
 * expire. {@link #close} stops everything; idempotent. Thread-safe.
 */
public final class Agent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Agent.class);

  final AgentConfig config;
  final PrivateKey key;
  final Bytes32 specHash;
  final Optional<ContainerPlan> plan;
  final LogStore logs;
  final MetricsStore metrics;
  final Prover prover;
  private final Attestor attestor;
  private final Map<String, String> agentEnv;
  private final Clock clock;
  private final HttpClient http;
  private final ControlApi api;
  private final Background background;
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();
  private final CountDownLatch resultServed = new CountDownLatch(1);
  private final Object lock = new Object();
  private volatile AgentState state = new AgentState.Attesting();
  private volatile Optional<Attestor.Attestation> attestation = Optional.empty();
  private volatile Optional<Supervisor> supervisor = Optional.empty();
  private volatile boolean closed;

  private Agent(AgentConfig config, Map<String, String> agentEnv, Clock clock) {
    this.config = config;
    this.agentEnv = Map.copyOf(agentEnv);
    this.clock = clock;
    SecureRandom random = new SecureRandom();
    this.key = PrivateKey.generate(random);
    this.specHash = Keccak.hash(config.spec().getBytes(StandardCharsets.UTF_8));
    Optional<ContainerPlan> p;
    try {
      p =
          Optional.of(
              ContainerPlan.of(
                  config.spec(),
                  config.container(),
                  Optional.ofNullable(config.image()).map(AgentConfig.Image::documents)));
    } catch (SpecException e) {
      p = Optional.empty();
      fail(FailureReason.INVALID_SPEC, e.getMessage(), List.of());
    }
    this.plan = p;
    Duration timeout = Duration.ofMillis(config.committee().timeoutMillis());
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .build();
    this.logs = new LogStore(config.logs().chunkBytes(), config.logs().maxBytes(), clock);
    this.metrics = new MetricsStore(config.metrics().maxSamples());
    this.prover = new Prover(config, key, logs, metrics);
    this.attestor =
        new Attestor(
            config,
            key,
            Attestor.provider(config.evidence(), http, timeout),
            SecretClient.create(http, timeout),
            clock,
            random);
    this.api = new ControlApi(this);
    this.background = new Background(this);
  }

  /** Starts an agent with the process environment and the system clock; see the class notes. */
  public static Agent start(AgentConfig config) {
    return start(config, System.getenv(), Clock.systemUTC());
  }

  /**
   * Starts an agent; {@code agentEnv} stands for the process environment the program inherits from.
   */
  public static Agent start(AgentConfig config, Map<String, String> agentEnv, Clock clock) {
    Agent a = new Agent(config, agentEnv, clock);
    // Attestation and release need no control API: they run while its server starts.
    if (a.plan.isPresent()) {
      Thread.ofVirtual().name("bring-up").start(a::bringUp);
    }
    try {
      a.api.start(config.listen().host(), config.listen().port());
    } catch (RuntimeException e) {
      a.close(); // never leave a program running that nobody can supervise
      throw e;
    }
    LOG.info(
        "agent for workload {} v{} listening on {}, instance {} ({} ms after main)",
        config.workloadId(),
        config.version(),
        a.api.port(),
        a.key.address(),
        (System.nanoTime() - AgentMain.MAIN_AT) / 1_000_000);
    return a;
  }

  private void bringUp() {
    ContainerPlan p = plan.orElseThrow();
    long t0 = System.nanoTime();
    switch (attestor.attestRetrying(p.secretNames(), config.retry(), () -> closed)) {
      case Attestor.Outcome.Refused r -> fail(r.reason(), r.detail(), r.refusals());
      case Attestor.Outcome.Attested a -> {
        LOG.info(
            "attested, verdicts and {} secret(s) released in {} ms",
            p.secretNames().size(),
            (System.nanoTime() - t0) / 1_000_000);
        launch(p, a);
      }
    }
  }

  private void launch(ContainerPlan p, Attestor.Outcome.Attested a) {
    Map<String, String> env;
    try {
      if (closed) {
        return;
      }
      SecretDelivery.writeFiles(config.paths().filesRoot(), p.files(), a.released()::value);
      env =
          SecretDelivery.environment(
              agentEnv, p.env(), p.secretEnv(), a.released()::value, weteeEnv());
    } catch (IOException | RuntimeException e) {
      fail(FailureReason.SECRET_WRITE_FAILED, String.valueOf(e.getMessage()), List.of());
      return;
    } finally {
      a.released().destroy();
    }
    Supervisor s =
        new Supervisor(
            p.command(),
            env,
            p.workingDir().orElse(config.paths().workDir()),
            config.restartFor(p.task()),
            p.timeout(),
            logs);
    synchronized (lock) {
      if (closed) {
        return;
      }
      try {
        s.start();
      } catch (IOException e) {
        fail(FailureReason.PROGRAM_START_FAILED, String.valueOf(e.getMessage()), List.of());
        return;
      }
      supervisor = Optional.of(s);
      // Published only now: an instance whose program never started has nothing to attest to.
      attestation = Optional.of(a.attestation());
      state = new AgentState.Running();
    }
    var unused = s.finished().thenAccept(e -> finished(p, e));
    background.start(p);
  }

  private Map<String, String> weteeEnv() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("WETEE_WORKLOAD_ID", Long.toString(config.workloadId()));
    m.put("WETEE_VERSION", Long.toString(config.version()));
    m.put("WETEE_INSTANCE", key.address().toString());
    m.put("WETEE_SPEC_HASH", specHash.toHex());
    m.put("WETEE_FILES_ROOT", config.paths().filesRoot().toString());
    return m;
  }

  private void finished(ContainerPlan p, Supervisor.Exit e) {
    synchronized (lock) {
      if (closed) {
        return;
      }
      state = new AgentState.Finished(e.exitCode(), e.timedOut());
    }
    LOG.info("program finished with exit code {}", e.exitCode());
    if (p.task()) {
      Thread.ofVirtual()
          .name("task-linger")
          .start(
              () -> {
                try {
                  boolean served =
                      resultServed.await(
                          config.task().lingerSeconds(), java.util.concurrent.TimeUnit.SECONDS);
                  Thread.sleep(500); // let the answer that released the latch reach the worker
                  if (served && config.task().keepSeconds() > 0) {
                    // The owner reads this run's logs from here until the worker retires it.
                    Thread.sleep(Duration.ofSeconds(config.task().keepSeconds()));
                  }
                } catch (InterruptedException ignored) {
                  Thread.currentThread().interrupt();
                }
                exit.complete(e.exitCode());
              });
    }
  }

  private void fail(FailureReason reason, String detail, List<ReleaseOutcome.NodeError> refusals) {
    synchronized (lock) {
      if (closed) {
        return;
      }
      state = new AgentState.Failed(reason, detail, refusals);
    }
    LOG.warn("failed closed ({}): {}; the program will not start", reason.code(), detail);
  }

  /** A fresh attestation round without secrets; on success it replaces the current one. */
  Attestor.Outcome reattest() {
    Attestor.Outcome out = attestor.attest(List.of());
    if (out instanceof Attestor.Outcome.Attested a) {
      a.released().destroy();
      attestation = Optional.of(a.attestation());
      LOG.info("re-attested; verdict expires at {}", a.attestation().verdict().expiresAt());
    }
    return out;
  }

  void runResultServed() {
    resultServed.countDown();
  }

  Optional<Attestor.Attestation> attestation() {
    return attestation;
  }

  Optional<Supervisor> supervisor() {
    return supervisor;
  }

  Optional<HealthChecker> health() {
    return background.health();
  }

  Clock clock() {
    return clock;
  }

  HttpClient http() {
    return http;
  }

  /** The current state. */
  public AgentState state() {
    return state;
  }

  /** The control API's bound port. */
  public int port() {
    return api.port();
  }

  /** The instance key's address (bound into the evidence; signs proofs and results). */
  public String instance() {
    return key.address().toString();
  }

  /**
   * Completes with the process exit code: in task mode when the run result was fetched (plus {@code
   * task.keepSeconds}; or {@code task.lingerSeconds} passed) with the program's exit code; with 0
   * after {@link #close}.
   */
  public CompletableFuture<Integer> exitCode() {
    return exit;
  }

  @Override
  public void close() {
    Optional<Supervisor> s;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      state = new AgentState.Stopped();
      s = supervisor;
    }
    s.ifPresent(x -> x.stop(Duration.ofSeconds(10)));
    background.close();
    api.close();
    http.shutdownNow();
    exit.complete(0);
    LOG.info("agent stopped");
  }
}
