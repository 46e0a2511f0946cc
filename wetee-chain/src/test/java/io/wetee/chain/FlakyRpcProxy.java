package io.wetee.chain;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A JSON-RPC proxy on loopback that forwards every request to the node but, for the next {@code n}
 * requests whose method matches, drops the connection after the node has processed the request and
 * before the answer reaches the client: the worst transient failure, where the client cannot know
 * whether its transaction was accepted.
 */
final class FlakyRpcProxy implements AutoCloseable {
  private final HttpServer server;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final AtomicInteger drops = new AtomicInteger();
  private volatile String method = "";
  final AtomicInteger dropped = new AtomicInteger();

  FlakyRpcProxy(String target) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          byte[] body;
          try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
          }
          HttpResponse<byte[]> answer;
          try {
            answer =
                http.send(
                    HttpRequest.newBuilder(URI.create(target))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.close();
            return;
          }
          boolean matches = new String(body, StandardCharsets.UTF_8).contains("\"" + method + "\"");
          if (matches && drops.getAndUpdate(d -> Math.max(0, d - 1)) > 0) {
            dropped.incrementAndGet();
            // The node has processed the request; the client gets a cut connection.
            exchange.close();
            return;
          }
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(answer.statusCode(), answer.body().length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer.body());
          }
        });
    server.start();
  }

  /** Drops the answers of the next {@code n} requests for {@code rpcMethod}. */
  void dropNext(String rpcMethod, int n) {
    method = rpcMethod;
    drops.set(n);
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
