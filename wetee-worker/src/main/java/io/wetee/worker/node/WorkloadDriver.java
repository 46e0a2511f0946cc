package io.wetee.worker.node;

import io.wetee.agent.AgentClient;
import io.wetee.agent.AgentProtocol;
import io.wetee.chain.ContractRevertedException;
import io.wetee.chain.WorkloadInfo;
import io.wetee.chain.WorkloadKind;
import io.wetee.common.spec.WorkloadSpec;
import io.wetee.worker.HealthCheck;
import io.wetee.worker.HealthResult;
import io.wetee.worker.proxy.Backend;
import io.wetee.worker.proxy.PublicEndpoint;
import io.wetee.worker.spi.InstanceStatus;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles one workload: reads the desired state from the chain ({@code getWorkload}) and the
 * actual state from the runtime and the worker's placements, and takes the next steps. Idempotent:
 * every step checks the chain or the runtime first, so running it again after a crash anywhere
 * continues where the last run stopped. Services: launch the current version, wait until its agent
 * is attested, {@code Cloud.start}, wait healthy, switch the proxy, retire older versions, settle
 * from the chain's {@code lastSettledBlock} (so no range is paid twice), re-attest before expiry,
 * stop exhausted workloads after a final settlement. Tasks: launch the due run, wait for its signed
 * result, {@code Cloud.start} and {@code Cloud.completeRun}. Stopped: tear everything down.
 */
final class WorkloadDriver {
  private static final Logger LOG = LoggerFactory.getLogger(WorkloadDriver.class);
  private static final long NO_RUN = (1L << 48) - 1;
  private static final Duration GRACE = Duration.ofSeconds(10);

  private final WorkerContext ctx;
  private final Reconciler rec;
  private final InstanceLauncher launcher;
  private final AgentWait agents;
  private final Settler settler;

  WorkloadDriver(WorkerContext ctx, Reconciler rec, AgentWait agents) {
    this.ctx = ctx;
    this.rec = rec;
    this.launcher = new InstanceLauncher(ctx);
    this.agents = agents;
    this.settler = new Settler(ctx, rec);
  }

  void reconcile(long id) {
    WorkloadInfo w = ctx.chain().cloud().workload(id);
    if (w.workerId() != ctx.workerId() || w.status() == WorkloadInfo.Status.STOPPED) {
      teardown(id, w);
      return;
    }
    ctx.state().addWorkload(id);
    ctx.resources().put(id, w.resources());
    if (w.kind() == WorkloadKind.SERVICE) {
      service(w);
    } else {
      task(w);
    }
  }

  // ------------------------------------------------------------------ services

  private void service(WorkloadInfo current) {
    WorkloadInfo w = current;
    List<Placement> all = ctx.state().placementsOf(w.id());
    Optional<Placement> found =
        all.stream().filter(p -> p.version() == current.version() && !p.isTask()).findFirst();
    WorkloadStatus st = WorkloadStatus.of(w.id(), "starting", w.version());
    Placement cur;
    if (found.isEmpty()) {
      Optional<String> over = Capacity.check(ctx, w);
      if (over.isPresent()) {
        rec.report(st.failed("over-capacity", over.get()));
        return;
      }
      rec.report(st);
      long t0 = System.nanoTime();
      InstanceLauncher.Outcome o = launcher.launch(w, -1);
      if (o instanceof InstanceLauncher.Outcome.Refused r) {
        rec.report(st.failed(r.reason(), r.detail()));
        return;
      }
      cur = ((InstanceLauncher.Outcome.Launched) o).placement();
      LOG.info(
          "workload {} v{}: instance {} launched in {} ms",
          w.id(),
          w.version(),
          cur.id(),
          (System.nanoTime() - t0) / 1_000_000);
    } else {
      cur = found.get();
      if (failedBefore(w, cur)) {
        return;
      }
      if (rec.status(w.id()).filter(s -> s.version() == current.version()).isEmpty()) {
        rec.report(st); // adopted after a restart: starting until routed again
      }
      Optional<InstanceStatus> rs = ctx.runtime().status(cur.instanceId());
      if (rs.isPresent() && !rs.get().running()) {
        // The agent ended (or a crash cut its launch short): start this attempt again.
        LOG.info("instance {} ended ({}); launching it again", cur.id(), rs.get().state());
        ctx.runtime().remove(cur.instanceId());
        agents.forget(cur);
        rs = Optional.empty();
      }
      if (rs.isEmpty() && launcher.relaunch(cur, w) instanceof InstanceLauncher.Outcome.Refused r) {
        rec.report(st.failed(r.reason(), r.detail()));
        return;
      }
    }
    keepServing(w, all, cur);
    boolean wasRunning = w.status() == WorkloadInfo.Status.RUNNING;
    Optional<AgentProtocol.Attestation> att = startedOnChain(w, cur, st);
    if (att.isEmpty()) {
      return;
    }
    if (!wasRunning || !att.get().instance().equalsIgnoreCase(w.instance())) {
      w = ctx.chain().cloud().workload(w.id()); // Cloud.start moved lastSettledBlock and expiry
    }
    Optional<WorkloadSpec> spec = launcher.spec(w).map(InstanceLauncher.Spec::parsed);
    Optional<String> url = route(w, cur, spec.orElseThrow(), st);
    if (url == null) {
      return;
    }
    for (Placement old : all) {
      if (old.version() < w.version()) {
        retire(old);
      }
    }
    rec.report(
        new WorkloadStatus(
            w.id(),
            "running",
            w.version(),
            url.orElse(null),
            att.get().instance(),
            null,
            null,
            null,
            null));
    Optional<AgentClient> agent = agents.client(cur);
    if (agent.isEmpty()) { // the instance lost its address since it was routed (a pod replaced)
      rec.at(rec.head() + 1, w.id());
      return;
    }
    settler.settle(w, cur, agent.get(), att.get());
  }

  /**
   * While a new version starts, a restarted worker keeps the public ports on the older instance
   * that still runs (its proxy listeners died with the old process).
   */
  private void keepServing(WorkloadInfo w, List<Placement> all, Placement cur) {
    String wid = Long.toString(w.id());
    for (int i = all.size() - 1; i >= 0; i--) {
      Placement old = all.get(i);
      if (old.version() >= cur.version() || old.isTask()) {
        continue;
      }
      Optional<InstanceStatus> os = ctx.runtime().status(old.instanceId());
      if (os.map(InstanceStatus::running).orElse(false)) {
        Optional<InstanceLauncher.Spec> spec = launcher.spec(w);
        for (WorkloadSpec.Port p :
            spec.map(s -> InstancePlanner.ports(s.parsed())).orElse(List.of())) {
          Integer host = old.hostPorts().get(p.port());
          if (Boolean.TRUE.equals(p.exposed())
              && host != null
              && os.get().addressed()
              && ctx.proxy().endpoint(wid, p.port()).isEmpty()) {
            ctx.proxy().expose(wid, p.port());
            ctx.proxy()
                .switchTo(
                    wid,
                    p.port(),
                    new Backend(os.get().host(), host).withAttestation(old.agentPort()));
          }
        }
        return;
      }
    }
  }

  /** A failure reported for this placement stays until the chain moves on (no relaunch loop). */
  private boolean failedBefore(WorkloadInfo w, Placement cur) {
    return rec.status(w.id())
        .filter(s -> s.state().equals("failed") && s.version() == cur.version() && !cur.isTask())
        .isPresent();
  }

  /** The attestation of the instance the chain runs, after sending Cloud.start when needed. */
  private Optional<AgentProtocol.Attestation> startedOnChain(
      WorkloadInfo w, Placement cur, WorkloadStatus st) {
    if (w.status() == WorkloadInfo.Status.RUNNING) {
      Optional<AgentProtocol.Attestation> att =
          agents.client(cur).flatMap(a -> AgentWait.ok(a.attestation()));
      if (att.isPresent() && att.get().instance().equalsIgnoreCase(w.instance())) {
        return att;
      }
    }
    Duration timeout = Duration.ofSeconds(ctx.config().agent().startTimeoutSeconds());
    Optional<AgentProtocol.Status> s = agents.await(cur, Set.of("running", "finished"), timeout);
    ctx.runtime().started(cur.instanceId()); // attested or not: its start-up is over
    if (s.isEmpty()) {
      rec.report(st.failed("agent-timeout", "the agent did not attest within " + timeout));
      rec.at(rec.head() + 5, w.id());
      return Optional.empty();
    }
    if (s.get().state().equals("failed")) {
      // Fail closed: the agent never started the program; the chain never hears of the instance.
      rec.report(st.failed(s.get().reason(), s.get().detail()));
      ctx.runtime().stop(cur.instanceId(), GRACE);
      return Optional.empty();
    }
    Optional<AgentProtocol.Attestation> att =
        agents.client(cur).flatMap(a -> AgentWait.ok(a.attestation()));
    if (att.isEmpty()) {
      rec.at(rec.head() + 1, w.id());
      return Optional.empty();
    }
    if (!sendStart(w, att.get())) {
      return Optional.empty();
    }
    return att;
  }

  private boolean sendStart(WorkloadInfo w, AgentProtocol.Attestation att) {
    try {
      ctx.chain()
          .cloud()
          .start(
              w.id(),
              att.version(),
              att.instance(),
              att.verdict().toVerdict(),
              att.signatures().stream().map(AgentProtocol.Signature::toSignedBy).toList());
      LOG.info(
          "workload {} v{}: started on chain with instance {}",
          w.id(),
          att.version(),
          att.instance());
      return true;
    } catch (ContractRevertedException e) {
      // An update or a stop landed meanwhile: its event reconciles again.
      LOG.info("workload {}: Cloud.start refused: {}", w.id(), e.error());
      rec.at(rec.head() + 1, w.id());
      return false;
    }
  }

  /**
   * Waits until the instance is healthy and points the public ports at it; answers the first public
   * URL (empty without public ports), or null when it is not healthy yet.
   */
  private Optional<String> route(
      WorkloadInfo w, Placement cur, WorkloadSpec spec, WorkloadStatus st) {
    List<WorkloadSpec.Port> ports = InstancePlanner.ports(spec);
    if (ports.isEmpty()) {
      return Optional.empty();
    }
    String wid = Long.toString(w.id());
    int first = ports.get(0).port();
    Optional<String> host = address(cur);
    if (host.isEmpty()) { // not scheduled yet, or its pod is being replaced: not ready
      rec.at(rec.head() + 1, w.id());
      return null;
    }
    Backend target = backend(host.get(), cur, first);
    boolean routed =
        ports.stream()
            .filter(p -> Boolean.TRUE.equals(p.exposed()))
            .allMatch(
                p ->
                    ctx.proxy().endpoint(wid, p.port()).isPresent()
                        && ctx.proxy()
                            .backend(wid, p.port())
                            .equals(Optional.of(backend(host.get(), cur, p.port()))));
    if (!routed) {
      WorkloadSpec.Health h = spec.containers().get(0).health();
      String path = h != null && h.http() != null ? h.http() : "/";
      URI probe = target.uri().resolve(path.startsWith("/") ? path : "/" + path);
      // Probed every 25 ms: a program that just started answers within tens of milliseconds, and
      // its first answer is when the public URL switches to it.
      HealthResult hr =
          HealthCheck.http(probe)
              .withInterval(Duration.ofMillis(25))
              .awaitHealthy(Duration.ofSeconds(30));
      if (!(hr instanceof HealthResult.Healthy)) {
        rec.report(st.failed("unhealthy", hr.toString()));
        rec.at(rec.head() + 3, w.id());
        return null;
      }
    }
    Optional<String> url = Optional.empty();
    for (WorkloadSpec.Port p : ports) {
      if (!Boolean.TRUE.equals(p.exposed())) {
        continue;
      }
      PublicEndpoint e = ctx.proxy().expose(wid, p.port());
      ctx.proxy()
          .switchTo(wid, p.port(), backend(host.get(), cur, p.port()))
          .await(Duration.ofSeconds(30));
      if (url.isEmpty()) {
        url = Optional.of(e.url().toString());
      }
    }
    return url;
  }

  /**
   * Port {@code port} of the instance at {@code host}, with its agent answering the attestation
   * path.
   */
  static Backend backend(String host, Placement p, int port) {
    return new Backend(host, p.hostPorts().get(port)).withAttestation(p.agentPort());
  }

  /** Where the runtime says the instance is reachable; empty while it has no address. */
  private Optional<String> address(Placement p) {
    return ctx.runtime()
        .status(p.instanceId())
        .filter(InstanceStatus::addressed)
        .map(InstanceStatus::host);
  }

  // ------------------------------------------------------------------ tasks

  private void task(WorkloadInfo w) {
    for (Placement p : ctx.state().placementsOf(w.id())) {
      // The last completed run stays (its agent serves the run's logs until it exits).
      if (p.version() < w.version() || p.runId() < w.nextRunId() - 1) {
        retire(p);
      }
    }
    WorkloadStatus st = WorkloadStatus.of(w.id(), "waiting", w.version());
    long head = Math.max(rec.head(), ctx.chain().blockNumber());
    if (w.nextRunAt() > head) {
      if (w.nextRunAt() < NO_RUN) {
        rec.at(w.nextRunAt(), w.id());
      }
      rec.report(
          rec.status(w.id())
              .map(s -> s.state().equals("failed") ? s : s.withState("waiting"))
              .orElse(st));
      return;
    }
    TaskRunner.run(ctx, rec, launcher, agents, w, st);
  }

  // ------------------------------------------------------------------ teardown

  private void teardown(long id, WorkloadInfo w) {
    List<Placement> all = ctx.state().placementsOf(id);
    for (Placement p : all) {
      retire(p);
    }
    String wid = Long.toString(id);
    for (var e : ctx.proxy().endpoints()) {
      if (e.workloadId().equals(wid)) {
        ctx.proxy().clear(wid, e.port());
        ctx.proxy().unexpose(wid, e.port());
      }
    }
    ctx.resources().remove(id);
    if (ctx.state().isKnown(id)) {
      ctx.state().removeWorkload(id);
      rec.report(WorkloadStatus.of(id, "stopped", w.version()));
    }
  }

  /** Stops and removes an instance and everything the worker kept for it. */
  void retire(Placement p) {
    ctx.runtime().stop(p.instanceId(), GRACE);
    ctx.runtime().remove(p.instanceId());
    ctx.quoting().unregister(p.token());
    agents.forget(p);
    ctx.state().removePlacement(p.id());
    LOG.info("instance {} retired", p.id());
  }

  static BigInteger big(long v) {
    return BigInteger.valueOf(v);
  }
}
