package io.wetee.worker.node;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.wetee.agent.AgentClient;
import io.wetee.agent.AgentProtocol;
import io.wetee.chain.WorkloadInfo;
import io.wetee.common.Json;
import io.wetee.crypto.Address;
import java.io.IOException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The worker's HTTP API (Javalin, virtual threads). Public: {@code GET /v1/health}, {@code GET
 * /v1/workloads/{id}} ({@link WorkloadStatus}) and {@code GET /v1/workloads/{id}/attestation} (the
 * current instance's attestation document). Owner only, signed per {@link OwnerRequest}: {@code GET
 * /v1/workloads/{id}/logs?since=N} and {@code /metrics?since=N}, forwarded to the instance's agent.
 * Errors are {@code {"reason", "detail"}} with a stable reason.
 */
final class WorkerApi {
  private final Javalin app;
  private final WorkerNode node;

  private WorkerApi(Javalin app, WorkerNode node) {
    this.app = app;
    this.node = node;
  }

  static WorkerApi start(String host, int port, WorkerNode node) {
    Javalin app = Javalin.create(c -> c.showJavalinBanner = false);
    WorkerApi api = new WorkerApi(app, node);
    app.get(
        "/v1/health",
        ctx -> json(ctx, 200, Map.of("status", "ok", "workerId", node.workerIdOrMinus())));
    app.get("/v1/workloads/{id}", api::status);
    app.get("/v1/workloads/{id}/attestation", api::attestation);
    app.get("/v1/workloads/{id}/logs", ctx -> api.owned(ctx, true));
    app.get("/v1/workloads/{id}/metrics", ctx -> api.owned(ctx, false));
    app.start(host, port);
    return api;
  }

  int port() {
    return app.port();
  }

  void stop() {
    app.stop();
  }

  private void status(Context ctx) {
    long id = id(ctx);
    Optional<WorkloadStatus> s = node.status(id);
    if (s.isEmpty()) {
      problem(ctx, 404, "unknown-workload", "this worker has no workload " + id);
      return;
    }
    json(ctx, 200, s.get());
  }

  private void attestation(Context ctx) {
    Optional<Placement> p = current(id(ctx));
    if (p.isEmpty()) {
      problem(ctx, 404, "no-instance", "no instance runs for this workload");
      return;
    }
    Optional<AgentClient> agent = node.agents().client(p.get());
    if (agent.isEmpty()) {
      problem(ctx, 502, "unreachable", "the instance has no address yet");
      return;
    }
    reply(ctx, agent.get().attestation());
  }

  private void owned(Context ctx, boolean logs) {
    long id = id(ctx);
    String pathAndQuery = ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
    Optional<Address> signer =
        OwnerRequest.signer(
            "GET",
            pathAndQuery,
            String.valueOf(ctx.header(OwnerRequest.TIMESTAMP)),
            String.valueOf(ctx.header(OwnerRequest.SIGNATURE)),
            Instant.now().getEpochSecond());
    if (signer.isEmpty()) {
      problem(ctx, 401, "unsigned", "sign the request with the owner's key (fresh timestamp)");
      return;
    }
    WorkloadInfo w = node.context().chain().cloud().workload(id);
    if (!Address.fromHex(w.owner()).equals(signer.get())) {
      problem(ctx, 403, "not-owner", "only the workload's owner may read this");
      return;
    }
    List<Placement> all = newestFirst(id);
    if (all.isEmpty()) {
      problem(ctx, 404, "no-instance", "no instance runs for this workload");
      return;
    }
    long since = Long.parseLong(Optional.ofNullable(ctx.queryParam("since")).orElse("0"));
    // The newest instance may still be launching (a task's next run, a new version): its agent
    // is not listening yet, so the owner reads the one before it, which is kept for its logs.
    AgentClient.Reply<?> r =
        new AgentClient.Failed<>(0, "unreachable", "no instance of this workload has an address");
    for (Placement p : all) {
      Optional<AgentClient> c = node.agents().client(p);
      if (c.isEmpty()) {
        continue; // not running, or no address yet
      }
      AgentClient a = c.get();
      r = logs ? a.logs(since) : a.metrics(since);
      if (!(r instanceof AgentClient.Failed<?> f && f.status() == 0)) {
        break;
      }
    }
    reply(ctx, r);
  }

  private List<Placement> newestFirst(long id) {
    return node.context().state().placementsOf(id).stream()
        .sorted(
            Comparator.comparingLong(Placement::version)
                .thenComparingLong(Placement::runId)
                .reversed())
        .toList();
  }

  /** The newest placement of the workload (the current version, or the latest task run). */
  private Optional<Placement> current(long id) {
    return node.context().state().placementsOf(id).stream()
        .max(Comparator.comparingLong(Placement::version).thenComparingLong(Placement::runId));
  }

  private static <T> void reply(Context ctx, AgentClient.Reply<T> r) {
    switch (r) {
      case AgentClient.Ok<T> ok -> json(ctx, 200, ok.value());
      case AgentClient.Failed<T> f ->
          problem(ctx, f.status() == 0 ? 502 : f.status(), f.reason(), f.detail());
    }
  }

  private static long id(Context ctx) {
    return Long.parseLong(ctx.pathParam("id"));
  }

  static void json(Context ctx, int status, Object body) {
    try {
      ctx.status(status)
          .contentType("application/json")
          .result(Json.strict().writeValueAsBytes(body));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static void problem(Context ctx, int status, String reason, String detail) {
    json(ctx, status, new AgentProtocol.Problem(reason, detail));
  }
}
