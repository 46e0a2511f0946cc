package io.wetee.worker.proxy;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/** Real HTTP backends on loopback for proxy tests. */
final class Backends {
  private Backends() {}

  static HttpServer start(HttpHandler handler) {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
      server.createContext("/", handler);
      server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Answers every request with 200 and {@code text}. */
  static HttpServer text(String text) {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    return start(
        exchange -> {
          try (exchange) {
            exchange.getRequestBody().transferTo(java.io.OutputStream.nullOutputStream());
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
          }
        });
  }

  static Backend of(HttpServer server) {
    return Backend.loopback(server.getAddress().getPort());
  }
}
