package io.wetee.worker.node;

import io.wetee.agent.AgentClient;
import io.wetee.agent.AgentProtocol;
import io.wetee.chain.ContractRevertedException;
import io.wetee.chain.WorkloadInfo;
import io.wetee.worker.spi.InstanceStatus;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One due task run: an instance per run (the agent signs exactly one run id with a fresh instance
 * key), then {@code Cloud.start} with its verdicts and {@code Cloud.completeRun} with its signed
 * result. Resumable: a run whose instance exists is not launched again, a run whose result already
 * landed is seen by {@code nextRunId} moving on, and a run whose agent exited before its result was
 * collected is run again.
 */
final class TaskRunner {
  private static final Logger LOG = LoggerFactory.getLogger(TaskRunner.class);

  private TaskRunner() {}

  static void run(
      WorkerContext ctx,
      Reconciler rec,
      InstanceLauncher launcher,
      AgentWait agents,
      WorkloadInfo w,
      WorkloadStatus st) {
    long runId = w.nextRunId();
    String id = Placement.idFor(w.id(), w.version(), runId);
    Optional<Placement> existing = ctx.state().placement(id);
    if (existing.isPresent()) {
      Optional<InstanceStatus> rs = ctx.runtime().status(existing.get().instanceId());
      if (rs.isPresent() && !rs.get().running()) {
        // The agent ended before its result was collected: run this run again.
        ctx.runtime().remove(existing.get().instanceId());
        ctx.state().removePlacement(id);
        agents.forget(existing.get());
        existing = Optional.empty();
      } else if (rs.isEmpty()) {
        launcher.relaunch(existing.get(), w);
      }
    }
    Placement p;
    if (existing.isEmpty()) {
      rec.report(st.withState("starting"));
      InstanceLauncher.Outcome o = launcher.launch(w, runId);
      if (o instanceof InstanceLauncher.Outcome.Refused r) {
        rec.report(st.failed(r.reason(), r.detail()));
        return;
      }
      p = ((InstanceLauncher.Outcome.Launched) o).placement();
    } else {
      p = existing.get();
    }
    rec.report(st.withState("running"));
    Duration timeout =
        Duration.ofSeconds(ctx.config().agent().startTimeoutSeconds() + taskTimeout(launcher, w));
    Duration start = Duration.ofSeconds(ctx.config().agent().startTimeoutSeconds());
    var unused = agents.await(p, Set.of("running", "finished"), start);
    ctx.runtime().started(p.instanceId()); // attested or not: its start-up is over
    Optional<AgentProtocol.Status> s = agents.await(p, Set.of("finished"), timeout);
    if (s.isEmpty()) {
      rec.at(rec.head() + 3, w.id());
      return;
    }
    if (s.get().state().equals("failed")) {
      rec.report(st.failed(s.get().reason(), s.get().detail()));
      ctx.runtime().stop(p.instanceId(), Duration.ofSeconds(5));
      return;
    }
    Optional<AgentClient> client = agents.client(p);
    if (client.isEmpty()) { // the run's address is gone (its pod was deleted): look again later
      rec.at(rec.head() + 1, w.id());
      return;
    }
    AgentClient agent = client.get();
    AgentProtocol.Attestation att = AgentWait.ok(agent.attestation()).orElseThrow();
    Optional<AgentProtocol.RunResultView> result = AgentWait.ok(agent.runResult(runId));
    if (result.isEmpty()) {
      rec.at(rec.head() + 1, w.id());
      return;
    }
    try {
      if (!att.instance().equalsIgnoreCase(w.instance())) {
        ctx.chain()
            .cloud()
            .start(
                w.id(),
                att.version(),
                att.instance(),
                att.verdict().toVerdict(),
                att.signatures().stream().map(AgentProtocol.Signature::toSignedBy).toList());
      }
      ctx.chain().cloud().completeRun(result.get().toRunResult(), result.get().ethSignature());
      LOG.info(
          "workload {}: run {} completed, exit code {}", w.id(), runId, result.get().exitCode());
    } catch (ContractRevertedException e) {
      LOG.info("workload {}: run {} not recorded: {}", w.id(), runId, e.error());
      rec.at(rec.head() + 1, w.id());
      return;
    }
    rec.report(st.withState("waiting").withRun(runId, result.get().exitCode()));
    rec.touch(w.id());
  }

  private static long taskTimeout(InstanceLauncher launcher, WorkloadInfo w) {
    return launcher
        .spec(w)
        .map(s -> s.parsed().task())
        .map(t -> t.timeoutSeconds() == null ? 300L : t.timeoutSeconds().longValue())
        .orElse(300L);
  }
}
