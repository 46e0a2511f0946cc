package io.wetee.secretnode;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.wetee.chain.ChainException;
import io.wetee.common.Hex;
import io.wetee.common.Json;
import io.wetee.crypto.Address;
import io.wetee.crypto.Point;
import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's HTTP API (Javalin on virtual threads): {@code POST /v1/release}, {@code GET
 * /v1/health}, {@code GET /v1/epoch}. JSON in and out through the project's strict mapper; a
 * refusal is {@code {"reason", "detail"}} with the reason's HTTP status. Every release attempt,
 * accepted or refused, goes to the audit log first.
 */
final class Api implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Api.class);

  private final ReleaseService release;
  private final KeyRing keys;
  private final Address account;
  private final Point encryptionKey;
  private final AuditLog audit;
  private final RateLimiter limiter;
  private final Clock clock;
  private final Javalin app;

  Api(
      ReleaseService release,
      KeyRing keys,
      Address account,
      Point encryptionKey,
      AuditLog audit,
      RateLimiter limiter,
      Clock clock) {
    this.release = release;
    this.keys = keys;
    this.account = account;
    this.encryptionKey = encryptionKey;
    this.audit = audit;
    this.limiter = limiter;
    this.clock = clock;
    this.app =
        Javalin.create(
            cfg -> {
              cfg.useVirtualThreads = true;
              cfg.showJavalinBanner = false;
              cfg.http.maxRequestSize = 4L * 1024 * 1024;
            });
    app.post("/v1/release", this::release);
    app.get("/v1/health", this::health);
    app.get("/v1/epoch", this::epoch);
    app.exception(Exception.class, this::fault);
  }

  /** Starts listening; returns the bound port. */
  int start(String host, int port) {
    app.start(host, port);
    return app.port();
  }

  private void release(Context ctx) {
    String client = ctx.ip();
    ReleaseRequest req;
    try {
      req = Json.strict().readValue(ctx.bodyAsBytes(), ReleaseRequest.class);
    } catch (IOException e) {
      refuse(ctx, Refusal.of(RefusalReason.BAD_REQUEST, "invalid JSON: " + firstLine(e)));
      return;
    }
    String instance = instanceAddress(req);
    if (!limiter.tryAcquire(client, System.nanoTime())) {
      audit.append(clock.instant(), client, req, instance, "rate-limited", "");
      refuse(ctx, Refusal.of(RefusalReason.RATE_LIMITED, "too many requests from " + client));
      return;
    }
    ReleaseResult result;
    try {
      result = release.release(req);
    } catch (ChainException e) {
      result = new ReleaseResult.Refused(RefusalReason.CHAIN_UNAVAILABLE, firstLine(e));
    }
    switch (result) {
      case ReleaseResult.Released r -> {
        audit.append(clock.instant(), client, req, instance, "released", "");
        json(ctx, 200, r.response());
      }
      case ReleaseResult.Refused r -> {
        audit.append(clock.instant(), client, req, instance, r.reason().code(), r.detail());
        LOG.info("refused workload {} for {}: {}", req.workloadId(), client, r.reason().code());
        refuse(ctx, Refusal.of(r.reason(), r.detail()));
      }
    }
  }

  private static String instanceAddress(ReleaseRequest r) {
    try {
      return Address.fromPublicKey(Point.decode(Hex.decode(r.instanceKey()))).toString();
    } catch (RuntimeException e) {
      return "";
    }
  }

  private void health(Context ctx) {
    Optional<EpochKey> k = keys.current();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", k.flatMap(EpochKey::share).isPresent() ? "ok" : "not-ready");
    body.put("address", account.toString());
    body.put("encryptionKey", Hex.encode0x(encryptionKey.encode()));
    k.ifPresent(e -> body.put("epoch", e.epoch()));
    k.flatMap(EpochKey::share).ifPresent(s -> body.put("index", s.index()));
    json(ctx, 200, body);
  }

  private void epoch(Context ctx) {
    Optional<EpochKey> k = keys.current();
    if (k.isEmpty()) {
      refuse(ctx, Refusal.of(RefusalReason.NOT_READY, "no committee key yet"));
      return;
    }
    EpochKey e = k.get();
    Map<String, String> vks = new TreeMap<>();
    e.key()
        .verificationKeys()
        .forEach((i, p) -> vks.put(String.valueOf(i), Hex.encode0x(p.encode())));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("epoch", e.epoch());
    body.put("members", e.members());
    body.put("quorum", e.key().threshold());
    body.put("groupKey", Hex.encode0x(e.key().groupKey().encode()));
    body.put("verificationKeys", vks);
    e.share().ifPresent(s -> body.put("index", s.index()));
    json(ctx, 200, body);
  }

  private void fault(Exception e, Context ctx) {
    LOG.warn("request {} failed: {}", ctx.path(), e.toString());
    json(ctx, 500, new Refusal("internal-error", e.getClass().getSimpleName()));
  }

  private static void refuse(Context ctx, Refusal r) {
    int status = RefusalReason.fromCode(r.reason()).map(RefusalReason::httpStatus).orElse(500);
    json(ctx, status, r);
  }

  private static void json(Context ctx, int status, Object body) {
    try {
      ctx.status(status)
          .contentType("application/json")
          .result(Json.strict().writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + body.getClass().getSimpleName(), e);
    }
  }

  private static String firstLine(Exception e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  @Override
  public void close() {
    app.stop();
  }
}
