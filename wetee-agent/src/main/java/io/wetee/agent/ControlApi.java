package io.wetee.agent;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.wetee.common.Json;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's control API (Javalin on virtual threads), meant for loopback: the worker calls it,
 * and its proxy exposes only {@link AgentProtocol#ATTESTATION} publicly. Routes and bodies are
 * those of {@link AgentProtocol}; errors are {@link AgentProtocol.Problem} with 400 {@code
 * bad-request}, 409 {@code not-attested} / {@code not-running} / {@code not-a-service} / {@code
 * not-a-task} / {@code still-running} / {@code wrong-run-id}, 502 with a {@link FailureReason} code
 * when a re-attestation fails, 503 {@code not-attested} on the attestation route.
 */
final class ControlApi implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ControlApi.class);
  private static final int MAX_LIMIT = 1000;

  private final Agent agent;
  private final Javalin app;

  ControlApi(Agent agent) {
    this.agent = agent;
    this.app =
        Javalin.create(
            cfg -> {
              cfg.useVirtualThreads = true;
              cfg.showJavalinBanner = false;
              cfg.http.maxRequestSize = 64L * 1024;
            });
    app.get(AgentProtocol.ATTESTATION, this::attestation);
    app.get(AgentProtocol.STATUS, ctx -> Http.json(ctx, 200, Views.status(agent)));
    app.post(AgentProtocol.PROOF, this::proof);
    app.post(AgentProtocol.RUN_RESULT, this::runResult);
    app.post(AgentProtocol.REATTEST, this::reattest);
    app.get(AgentProtocol.LOGS, this::logs);
    app.get(AgentProtocol.METRICS, this::metrics);
    app.exception(Exception.class, this::fault);
  }

  void start(String host, int port) {
    app.start(host, port);
  }

  int port() {
    return app.port();
  }

  private void attestation(Context ctx) {
    Optional<AgentProtocol.Attestation> doc = Views.attestation(agent);
    if (doc.isEmpty()) {
      Http.problem(ctx, 503, "not-attested", "state " + agent.state().code());
      return;
    }
    Http.json(ctx, 200, doc.get());
  }

  private void proof(Context ctx) {
    AgentProtocol.ProofRequest req;
    try {
      req = Json.strict().readValue(ctx.bodyAsBytes(), AgentProtocol.ProofRequest.class);
    } catch (IOException e) {
      Http.problem(ctx, 400, "bad-request", "body must be {\"fromBlock\": N, \"toBlock\": M}");
      return;
    }
    if (req.fromBlock() < 0 || req.toBlock() <= req.fromBlock()) {
      Http.problem(ctx, 400, "bad-request", "toBlock must be greater than fromBlock >= 0");
      return;
    }
    if (agent.plan.map(ContainerPlan::task).orElse(false)) {
      Http.problem(ctx, 409, "not-a-service", "tasks are paid per run, not settled");
      return;
    }
    if (!(agent.state() instanceof AgentState.Running)) {
      Http.problem(ctx, 409, "not-running", "state " + agent.state().code());
      return;
    }
    Http.json(ctx, 200, agent.prover.prove(req.fromBlock(), req.toBlock()));
  }

  private void runResult(Context ctx) throws IOException {
    AgentProtocol.RunResultRequest req;
    try {
      byte[] body = ctx.bodyAsBytes();
      req =
          body.length == 0
              ? new AgentProtocol.RunResultRequest(null)
              : Json.strict().readValue(body, AgentProtocol.RunResultRequest.class);
    } catch (IOException e) {
      Http.problem(ctx, 400, "bad-request", "body must be {\"runId\": N} or empty");
      return;
    }
    if (!agent.plan.map(ContainerPlan::task).orElse(false) || agent.config.task() == null) {
      Http.problem(ctx, 409, "not-a-task", "this instance runs a service");
      return;
    }
    long runId = agent.config.task().runId();
    if (req.runId() != null && req.runId() != runId) {
      Http.problem(ctx, 409, "wrong-run-id", "this instance executes run " + runId);
      return;
    }
    if (!(agent.state() instanceof AgentState.Finished)) {
      Http.problem(ctx, 409, "still-running", "state " + agent.state().code());
      return;
    }
    Supervisor.Exit exit = agent.supervisor().orElseThrow().finished().join();
    Http.json(ctx, 200, agent.prover.runResult(runId, exit));
    agent.runResultServed();
  }

  private void reattest(Context ctx) {
    AgentState s = agent.state();
    if (!(s instanceof AgentState.Running || s instanceof AgentState.Finished)) {
      Http.problem(ctx, 409, "not-attested", "state " + s.code());
      return;
    }
    switch (agent.reattest()) {
      case Attestor.Outcome.Attested a -> Http.json(ctx, 200, Views.reattestation(a.attestation()));
      case Attestor.Outcome.Refused r -> Http.problem(ctx, 502, r.reason().code(), r.detail());
    }
  }

  private void logs(Context ctx) {
    long since = longParam(ctx, "since", 0);
    int limit = (int) Math.min(MAX_LIMIT, longParam(ctx, "limit", MAX_LIMIT));
    Http.json(ctx, 200, Views.logs(agent.logs, since, limit));
  }

  private void metrics(Context ctx) {
    long since = longParam(ctx, "since", 0);
    int limit = (int) Math.min(MAX_LIMIT, longParam(ctx, "limit", MAX_LIMIT));
    Http.json(ctx, 200, Views.metrics(agent.metrics, since, limit));
  }

  private static long longParam(Context ctx, String name, long fallback) {
    String v = ctx.queryParam(name);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      return Math.max(0, Long.parseLong(v));
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  private void fault(Exception e, Context ctx) {
    LOG.warn("request {} failed: {}", ctx.path(), e.toString());
    Http.problem(ctx, 500, "internal-error", e.getClass().getSimpleName());
  }

  @Override
  public void close() {
    app.stop();
  }
}
