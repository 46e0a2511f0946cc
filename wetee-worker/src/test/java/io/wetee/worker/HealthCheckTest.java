package io.wetee.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HealthCheckTest {

  private static HttpServer server(int port, AtomicInteger calls, int failFirst) throws Exception {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
    server.createContext(
        "/health",
        exchange -> {
          try (exchange) {
            int status = calls.incrementAndGet() <= failFirst ? 500 : 204;
            exchange.sendResponseHeaders(status, -1);
          }
        });
    server.start();
    return server;
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  void becomesHealthyOnceTheInstanceListensAndAnswers2xx() throws Exception {
    int port = freePort();
    HealthCheck check =
        HealthCheck.http(URI.create("http://127.0.0.1:" + port + "/health"))
            .withInterval(Duration.ofMillis(50));
    AtomicInteger calls = new AtomicInteger();
    Thread starter =
        Thread.startVirtualThread(
            () -> {
              try {
                Thread.sleep(300);
                server(port, calls, 2);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });

    HealthResult result = check.awaitHealthy(Duration.ofSeconds(10));
    starter.join();

    assertThat(result)
        .isInstanceOfSatisfying(
            HealthResult.Healthy.class,
            h -> {
              assertThat(h.status()).isEqualTo(204);
              assertThat(h.attempts()).isGreaterThan(3); // refused ones, then two 500s
              assertThat(h.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            });
    assertThat(calls.get()).isEqualTo(3);
  }

  @Test
  void reportsTheLastFailureWhenTheDeadlinePasses() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    HttpServer failing = server(0, calls, Integer.MAX_VALUE);
    try {
      URI url = URI.create("http://127.0.0.1:" + failing.getAddress().getPort() + "/health");

      HealthResult result =
          HealthCheck.http(url)
              .withInterval(Duration.ofMillis(50))
              .awaitHealthy(Duration.ofMillis(400));

      assertThat(result)
          .isInstanceOfSatisfying(
              HealthResult.Unhealthy.class,
              u -> {
                assertThat(u.reason()).isEqualTo(HealthResult.Reason.BAD_STATUS);
                assertThat(u.detail()).isEqualTo("status 500");
                assertThat(u.attempts()).isEqualTo(calls.get());
              });
    } finally {
      failing.stop(0);
    }
  }

  @Test
  void singleProbeOfAClosedPortIsConnectionRefused() throws Exception {
    HealthResult result =
        HealthCheck.http(URI.create("http://127.0.0.1:" + freePort() + "/")).probe();

    assertThat(result)
        .isInstanceOfSatisfying(
            HealthResult.Unhealthy.class,
            u -> assertThat(u.reason()).isEqualTo(HealthResult.Reason.CONNECTION_REFUSED));
  }
}
