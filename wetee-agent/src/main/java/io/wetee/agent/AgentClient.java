package io.wetee.agent;

import io.wetee.common.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.Executors;

/**
 * The worker's client of an agent's control API ({@link AgentProtocol}), over {@code
 * java.net.http}. Every call returns a {@link Reply}: the document, or the agent's problem (HTTP
 * status, reason, detail), or a transport failure as status 0 with reason {@code unreachable},
 * {@code timeout} or {@code bad-response}. Never throws for those. Thread-safe.
 */
public final class AgentClient {
  /** An answer: {@link Ok} or {@link Failed}. */
  public sealed interface Reply<T> permits Ok, Failed {}

  public record Ok<T>(T value) implements Reply<T> {}

  /**
   * @param status HTTP status, 0 when no HTTP answer came
   * @param reason stable code
   * @param detail for people
   */
  public record Failed<T>(int status, String reason, String detail) implements Reply<T> {}

  private final HttpClient http;
  private final URI base;
  private final Duration timeout;

  private AgentClient(HttpClient http, URI base, Duration timeout) {
    this.http = http;
    this.base = base;
    this.timeout = timeout;
  }

  /** A client for the agent at {@code base} (for example {@code http://127.0.0.1:7700}). */
  public static AgentClient create(URI base, Duration timeout) {
    return new AgentClient(
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .build(),
        base,
        timeout);
  }

  public Reply<AgentProtocol.Attestation> attestation() {
    return get(AgentProtocol.ATTESTATION, AgentProtocol.Attestation.class);
  }

  public Reply<AgentProtocol.Status> status() {
    return get(AgentProtocol.STATUS, AgentProtocol.Status.class);
  }

  /** A signed settle proof for {@code fromBlock..toBlock} ({@code fromBlock} = last settled). */
  public Reply<AgentProtocol.Proof> proof(long fromBlock, long toBlock) {
    return post(
        AgentProtocol.PROOF,
        new AgentProtocol.ProofRequest(fromBlock, toBlock),
        AgentProtocol.Proof.class);
  }

  /** The signed result of the task run {@code runId} (409 {@code still-running} until it ends). */
  public Reply<AgentProtocol.RunResultView> runResult(long runId) {
    return post(
        AgentProtocol.RUN_RESULT,
        new AgentProtocol.RunResultRequest(runId),
        AgentProtocol.RunResultView.class);
  }

  /** Fresh evidence and verdicts for {@code Cloud.reattest}. */
  public Reply<AgentProtocol.Reattestation> reattest() {
    return post(AgentProtocol.REATTEST, null, AgentProtocol.Reattestation.class);
  }

  public Reply<AgentProtocol.Logs> logs(long since) {
    return get(AgentProtocol.LOGS + "?since=" + since, AgentProtocol.Logs.class);
  }

  public Reply<AgentProtocol.Metrics> metrics(long since) {
    return get(AgentProtocol.METRICS + "?since=" + since, AgentProtocol.Metrics.class);
  }

  private <T> Reply<T> get(String path, Class<T> type) {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET(), type);
  }

  private <T> Reply<T> post(String path, Object body, Class<T> type) {
    try {
      byte[] bytes = body == null ? new byte[0] : Json.strict().writeValueAsBytes(body);
      return send(
          HttpRequest.newBuilder(base.resolve(path))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)),
          type);
    } catch (IOException e) {
      return new Failed<>(0, "bad-request", e.getMessage());
    }
  }

  private <T> Reply<T> send(HttpRequest.Builder req, Class<T> type) {
    HttpResponse<byte[]> r;
    try {
      r = http.send(req.timeout(timeout).build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (HttpTimeoutException e) {
      return new Failed<>(0, "timeout", "no answer within " + timeout.toMillis() + " ms");
    } catch (IOException e) {
      return new Failed<>(0, "unreachable", String.valueOf(e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Failed<>(0, "timeout", "interrupted");
    }
    try {
      if (r.statusCode() == 200) {
        return new Ok<>(Json.lenient().readValue(r.body(), type));
      }
      AgentProtocol.Problem p = Json.lenient().readValue(r.body(), AgentProtocol.Problem.class);
      return new Failed<>(r.statusCode(), p.reason(), p.detail());
    } catch (IOException e) {
      return new Failed<>(r.statusCode(), "bad-response", String.valueOf(e.getMessage()));
    }
  }
}
