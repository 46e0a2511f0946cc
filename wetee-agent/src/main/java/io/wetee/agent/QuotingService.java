package io.wetee.agent;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.wetee.attestation.SimulatedPlatform;
import io.wetee.common.Hex;
import io.wetee.common.Json;
import io.wetee.crypto.Bytes32;
import io.wetee.crypto.Keccak;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The worker side of SIMULATED evidence (DESIGN §3): a stand-in for a TEE's quoting service. The
 * worker registers each instance it launches with the measurement it computed for it (for
 * SIMULATED: the spec hash, {@link #measurementOf}) and gets a bearer token, which it writes into
 * that instance's agent config. The agent posts its report_data; the service answers with a report
 * signed by the worker's {@link SimulatedPlatform} over the registered measurement, never one the
 * caller chose. Development only: SIMULATED evidence has no security.
 *
 * <p>Protocol: {@code POST /v1/quote}, header {@code Authorization: Bearer <token>}, body {@link
 * AgentProtocol.QuoteRequest} ({@code {"reportData": "0x<64 bytes>"}}); 200 with {@link
 * AgentProtocol.QuoteResponse}, 400 {@code bad-request}, 401 {@code unknown-instance} (problem
 * JSON). Host it with {@link #routes} on any Javalin app reachable from the instances (loopback for
 * the local runtime); never expose it publicly. Thread-safe.
 */
public final class QuotingService {
  /** The route path. */
  public static final String PATH = "/v1/quote";

  /** The outcome of one quote request. */
  public sealed interface Quote permits Quote.Issued, Quote.Refused {
    /** A signed SIMULATED report. */
    @SuppressWarnings("ArrayRecordComponent") // copied in and out
    record Issued(byte[] evidence) implements Quote {
      public Issued {
        evidence = evidence.clone();
      }

      @Override
      public byte[] evidence() {
        return evidence.clone();
      }
    }

    /** No report: {@code unknown-instance} or {@code bad-request}. */
    record Refused(String reason, String detail) implements Quote {}
  }

  private final SimulatedPlatform platform;
  private final Clock clock;
  private final SecureRandom random;
  private final Map<String, Bytes32> instances = new ConcurrentHashMap<>();

  public QuotingService(SimulatedPlatform platform, Clock clock, SecureRandom random) {
    this.platform = platform;
    this.clock = clock;
    this.random = random;
  }

  /** The SIMULATED measurement of a workload: keccak256 of its canonical spec JSON bytes. */
  public static Bytes32 measurementOf(byte[] canonicalSpec) {
    return Keccak.hash(canonicalSpec);
  }

  /** Registers a launched instance; returns the token to put in its agent config. */
  public String register(Bytes32 measurement) {
    byte[] t = new byte[32];
    random.nextBytes(t);
    String token = Hex.encode(t);
    instances.put(token, measurement);
    return token;
  }

  /**
   * Registers an instance again under the token it was given before (a restarted worker whose
   * instances outlived it); idempotent.
   */
  public void restore(String token, Bytes32 measurement) {
    instances.put(token, measurement);
  }

  /** Forgets an instance (after it stopped); idempotent. */
  public void unregister(String token) {
    instances.remove(token);
  }

  /** Issues a report for the instance behind {@code token}. */
  public Quote quote(String token, byte[] reportData) {
    Bytes32 m = token == null ? null : instances.get(token);
    if (m == null) {
      return new Quote.Refused("unknown-instance", "no instance is registered with this token");
    }
    if (reportData.length != 64) {
      return new Quote.Refused("bad-request", "reportData must be 64 bytes");
    }
    return new Quote.Issued(platform.report(m.toBytes(), reportData, false, clock.instant()));
  }

  /** Adds {@code POST /v1/quote} to a Javalin app. */
  public void routes(Javalin app) {
    app.post(PATH, this::handle);
  }

  private void handle(Context ctx) {
    Optional<String> token =
        Optional.ofNullable(ctx.header("Authorization"))
            .filter(h -> h.startsWith("Bearer "))
            .map(h -> h.substring(7).trim());
    byte[] reportData;
    try {
      AgentProtocol.QuoteRequest req =
          Json.strict().readValue(ctx.bodyAsBytes(), AgentProtocol.QuoteRequest.class);
      reportData = Hex.decode(req.reportData());
    } catch (IOException | RuntimeException e) {
      Http.problem(ctx, 400, "bad-request", "body must be {\"reportData\": \"0x...\"}");
      return;
    }
    switch (quote(token.orElse(null), reportData)) {
      case Quote.Issued i ->
          Http.json(
              ctx,
              200,
              new AgentProtocol.QuoteResponse(
                  "SIMULATED", Hex.encode0x(i.evidence()), "0x", "simulated"));
      case Quote.Refused r ->
          Http.problem(ctx, r.reason().equals("bad-request") ? 400 : 401, r.reason(), r.detail());
    }
  }
}
