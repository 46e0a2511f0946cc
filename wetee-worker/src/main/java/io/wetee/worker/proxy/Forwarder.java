package io.wetee.worker.proxy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.wetee.common.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/** Forwards every request of one public endpoint to its route's current backend. */
final class Forwarder implements HttpHandler {
  /*
   * Design notes: bodies stream both ways (request body as an InputStream publisher with the
   * client's length, or chunked when it had none; response body copied and flushed per read, so
   * server-sent events and long downloads flow). A request holds its backend slot until the
   * response body is fully copied: that is what "in flight" means for draining. If the backend
   * refuses the connection and the route has switched meanwhile, a request without a body is sent
   * once more to the new backend: nothing reached the old one, so the retry cannot duplicate work.
   * Without a backend the answer is 503, with an unreachable one 502, both as RFC 9457 problem
   * details.
   *
   * Connections to a backend are kept alive and pooled, and a backend may close one while it sits
   * idle in the pool (a keep-alive timeout, or an HTTP/1.0 server such as Python's http.server,
   * which closes every connection after its answer; the JDK client pools it anyway, as the answer
   * has no "Connection: close"). The pool notices such a close asynchronously, so under load a
   * request can be written to a connection the backend has already closed and fail before any
   * answer. The JDK client then retries once, on the next pooled connection, which can be just as
   * dead. So a request that still fails before any answer is sent once more over a new connection
   * (a client of its own, shut down after the answer), if it can be replayed: no body, and an
   * idempotent method (RFC 9110 section 9.2.2), since the backend may have seen it. Its slot is held
   * throughout, so the backend is not drained, and the update sequence does not stop it meanwhile.
   */

  private static final Set<String> IDEMPOTENT =
      Set.of("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE");

  private final String workloadId;
  private final int port;
  private final Route route;
  private final HttpClient client;
  private final Supplier<HttpClient> freshClient;

  /**
   * @param client the pooled client for every first attempt
   * @param freshClient makes a client with an empty pool, for a replay over a new connection
   */
  Forwarder(
      String workloadId,
      int port,
      Route route,
      HttpClient client,
      Supplier<HttpClient> freshClient) {
    this.workloadId = workloadId;
    this.port = port;
    this.route = route;
    this.client = client;
    this.freshClient = freshClient;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Optional<Route.Slot> slot = route.acquire();
      if (slot.isEmpty()) {
        problem(
            exchange,
            503,
            "Service Unavailable",
            "workload " + workloadId + " port " + port + " has no running instance");
        return;
      }
      forward(exchange, slot.get(), true);
    }
  }

  private void forward(HttpExchange exchange, Route.Slot slot, boolean mayRetry)
      throws IOException {
    HttpResponse<InputStream> response;
    try {
      response =
          client.send(request(exchange, slot.backend), HttpResponse.BodyHandlers.ofInputStream());
    } catch (ConnectException e) {
      slot.release();
      Optional<Route.Slot> next =
          mayRetry && !hasBody(exchange) ? route.acquire() : Optional.empty();
      if (next.isPresent() && next.get() != slot) {
        forward(exchange, next.get(), false);
        return;
      }
      next.ifPresent(Route.Slot::release);
      failed(exchange, e);
      return;
    } catch (IOException e) {
      if (!(e instanceof HttpTimeoutException) && replayable(exchange)) {
        resend(exchange, slot);
        return;
      }
      slot.release();
      failed(exchange, e);
      return;
    } catch (InterruptedException e) {
      slot.release();
      Thread.currentThread().interrupt();
      return;
    }
    try {
      respond(exchange, response);
    } finally {
      slot.release();
    }
  }

  /** Sends the request once more over a new connection to the slot's backend; see the notes. */
  private void resend(HttpExchange exchange, Route.Slot slot) throws IOException {
    HttpClient fresh = freshClient.get();
    try {
      HttpResponse<InputStream> response;
      try {
        response =
            fresh.send(request(exchange, slot.backend), HttpResponse.BodyHandlers.ofInputStream());
      } catch (IOException e) {
        failed(exchange, e);
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      respond(exchange, response);
    } finally {
      fresh.shutdownNow(); // the answer is copied: nothing of this client is in use any more
      slot.release();
    }
  }

  private void failed(HttpExchange exchange, IOException e) throws IOException {
    String detail =
        e instanceof ConnectException
            ? "instance of workload " + workloadId + " refused the connection"
            : "instance of workload " + workloadId + " failed: " + e.getMessage();
    problem(exchange, 502, "Bad Gateway", detail);
  }

  /** A request that may be sent again: no body to replay, and an idempotent method. */
  private static boolean replayable(HttpExchange exchange) {
    return !hasBody(exchange) && IDEMPOTENT.contains(exchange.getRequestMethod());
  }

  private HttpRequest request(HttpExchange exchange, Backend backend) {
    URI uri =
        URI.create(
            backend.uriFor(exchange.getRequestURI().getPath())
                + exchange.getRequestURI().toString());
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri).method(exchange.getRequestMethod(), body(exchange));
    Headers.forEachEndToEnd(exchange.getRequestHeaders(), builder::header);
    String client = exchange.getRemoteAddress().getAddress().getHostAddress();
    String prior = exchange.getRequestHeaders().getFirst("X-Forwarded-For");
    builder.setHeader("X-Forwarded-For", prior == null ? client : prior + ", " + client);
    String host = exchange.getRequestHeaders().getFirst("Host");
    if (host != null) {
      builder.setHeader("X-Forwarded-Host", host);
    }
    builder.setHeader("X-Forwarded-Proto", "http");
    return builder.build();
  }

  private static boolean hasBody(HttpExchange exchange) {
    String length = exchange.getRequestHeaders().getFirst("Content-Length");
    boolean chunked = exchange.getRequestHeaders().containsKey("Transfer-Encoding");
    return chunked || (length != null && !length.trim().equals("0"));
  }

  private static HttpRequest.BodyPublisher body(HttpExchange exchange) {
    if (!hasBody(exchange)) {
      return HttpRequest.BodyPublishers.noBody();
    }
    HttpRequest.BodyPublisher stream =
        HttpRequest.BodyPublishers.ofInputStream(exchange::getRequestBody);
    String length = exchange.getRequestHeaders().getFirst("Content-Length");
    return length == null
        ? stream
        : HttpRequest.BodyPublishers.fromPublisher(stream, Long.parseLong(length.trim()));
  }

  private static void respond(HttpExchange exchange, HttpResponse<InputStream> response)
      throws IOException {
    Headers.forEachEndToEnd(response.headers().map(), exchange.getResponseHeaders()::add);
    int status = response.statusCode();
    long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
    boolean noBody =
        exchange.getRequestMethod().equalsIgnoreCase("HEAD")
            || status == 204
            || status == 304
            || declared == 0;
    // HttpServer: -1 = no body, 0 = chunked, n = fixed length.
    exchange.sendResponseHeaders(status, noBody ? -1 : Math.max(declared, 0));
    try (InputStream in = response.body();
        OutputStream out = exchange.getResponseBody()) {
      byte[] buffer = new byte[16 << 10];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        out.write(buffer, 0, n);
        out.flush();
      }
    }
  }

  static void problem(HttpExchange exchange, int status, String title, String detail)
      throws IOException {
    ObjectNode body = Json.strict().createObjectNode();
    body.put("type", "about:blank");
    body.put("title", title);
    body.put("status", status);
    body.put("detail", detail);
    byte[] bytes = Json.strict().writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/problem+json");
    exchange.getResponseHeaders().set("Retry-After", "1");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }
}
