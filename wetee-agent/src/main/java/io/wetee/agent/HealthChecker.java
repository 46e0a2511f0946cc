package io.wetee.agent;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The spec's health check (DESIGN §6 {@code health: {http, intervalSeconds}}): while the program
 * runs, {@code GET http://127.0.0.1:PORT/PATH} every interval; a 2xx or 3xx answer within the
 * timeout (the interval, at most 5 s) is healthy, anything else unhealthy. The last result is
 * reported in the status. One virtual thread; {@link #close} stops it.
 */
final class HealthChecker implements AutoCloseable {
  private final HttpClient http;
  private final URI uri;
  private final Duration interval;
  private final BooleanSupplier running;
  private volatile AgentProtocol.Health last = new AgentProtocol.Health("unknown", null, 0, null);
  private volatile boolean closed;
  private Thread thread;

  HealthChecker(
      HttpClient http, int port, String path, Duration interval, BooleanSupplier running) {
    this.http = http;
    this.uri = URI.create("http://127.0.0.1:" + port + (path.startsWith("/") ? path : "/" + path));
    this.interval = interval;
    this.running = running;
  }

  synchronized void start() {
    thread = Thread.ofVirtual().name("health").start(this::loop);
  }

  private void loop() {
    while (!closed) {
      if (running.getAsBoolean()) {
        check();
      } else {
        last = new AgentProtocol.Health("unknown", null, last.consecutiveFailures(), "not running");
      }
      try {
        Thread.sleep(interval);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void check() {
    long now = System.currentTimeMillis();
    Duration timeout =
        interval.compareTo(Duration.ofSeconds(5)) < 0 ? interval : Duration.ofSeconds(5);
    String detail;
    try {
      HttpResponse<Void> r =
          http.send(
              HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
              HttpResponse.BodyHandlers.discarding());
      if (r.statusCode() >= 200 && r.statusCode() < 400) {
        last = new AgentProtocol.Health("healthy", now, 0, "HTTP " + r.statusCode());
        return;
      }
      detail = "HTTP " + r.statusCode();
    } catch (IOException e) {
      detail = e.getClass().getSimpleName();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    last = new AgentProtocol.Health("unhealthy", now, last.consecutiveFailures() + 1, detail);
  }

  AgentProtocol.Health last() {
    return last;
  }

  @Override
  public void close() {
    closed = true;
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t != null) {
      t.interrupt();
    }
  }
}
