package io.wetee.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.wetee.common.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Registry behaviours the real docker-registry does not produce on demand (5xx, redirects to
 * storage, realms on plain http, lying sizes), served by small in-test HTTP servers.
 */
class RegistryClientTest {
  private static final byte[] BLOB = "blob bytes".getBytes(StandardCharsets.UTF_8);
  private static final String DIGEST = Digests.of(BLOB);

  private final List<HttpServer> servers = new CopyOnWriteArrayList<>();

  private interface Handler {
    void handle(HttpExchange exchange) throws IOException;
  }

  private String serve(Handler handler) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            handler.handle(exchange);
          }
        });
    server.start();
    servers.add(server);
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    servers.forEach(s -> s.stop(0));
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      exchange.getResponseBody().write(body);
    }
  }

  private static ImageRef ref(String host) {
    return ImageRef.parse(host + "/repo@" + DIGEST);
  }

  @Test
  void retriesAGetAfterAServerError() throws IOException {
    AtomicInteger calls = new AtomicInteger();
    String host =
        serve(
            exchange -> {
              if (calls.incrementAndGet() == 1) {
                send(exchange, 503, new byte[0]);
              } else {
                send(exchange, 200, BLOB);
              }
            });
    try (InputStream in =
        RegistryClient.create().blob(ref(host), new Descriptor("x", DIGEST, BLOB.length))) {
      assertThat(in.readAllBytes()).isEqualTo(BLOB);
    }
    assertThat(calls).hasValue(2);
  }

  @Test
  void credentialsAreNotSentToTheHostARedirectPointsTo() throws IOException {
    List<String> storageAuthorization = new CopyOnWriteArrayList<>();
    String storage =
        serve(
            exchange -> {
              storageAuthorization.add(
                  String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
              send(exchange, 200, BLOB);
            });
    String registry =
        serve(
            exchange -> {
              if (exchange.getRequestHeaders().getFirst("Authorization") == null) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"r\"");
                send(exchange, 401, new byte[0]);
                return;
              }
              exchange.getResponseHeaders().add("Location", "http://" + storage + "/data");
              send(exchange, 307, new byte[0]);
            });
    RegistryClient client =
        RegistryClient.builder().credentials(registry, "alice", Secret.of("pw")).build();
    try (InputStream in = client.blob(ref(registry), new Descriptor("x", DIGEST, BLOB.length))) {
      assertThat(in.readAllBytes()).isEqualTo(BLOB);
    }
    assertThat(storageAuthorization).containsExactly("null");
  }

  @Test
  void refusesATokenRealmOnPlainHttpToAnotherHost() throws IOException {
    String host =
        serve(
            exchange -> {
              exchange
                  .getResponseHeaders()
                  .add(
                      "WWW-Authenticate",
                      "Bearer realm=\"http://auth.example.com/token\",service=\"s\"");
              send(exchange, 401, new byte[0]);
            });
    assertThatThrownBy(() -> RegistryClient.create().manifest(ref(host)))
        .isInstanceOfSatisfying(
            OciException.class, e -> assertThat(e.code()).isEqualTo("unauthorized"))
        .hasMessageContaining("plain http");
  }

  @Test
  void blobOfAnotherSizeThanTheManifestSaysIsRefused() throws IOException {
    String host = serve(exchange -> send(exchange, 200, BLOB));
    assertThatThrownBy(
            () ->
                RegistryClient.create()
                    .blob(ref(host), new Descriptor("x", DIGEST, BLOB.length - 1))
                    .close())
        .isInstanceOfSatisfying(
            OciException.class, e -> assertThat(e.code()).isEqualTo("digest-mismatch"));
  }

  @Test
  void blobThatStallsMidwayFailsAfterTheIdleTimeout() throws IOException {
    String host =
        serve(
            exchange -> {
              exchange.sendResponseHeaders(200, BLOB.length);
              exchange.getResponseBody().write(BLOB, 0, 3);
              exchange.getResponseBody().flush();
              try {
                Thread.sleep(3_000);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    RegistryClient client =
        RegistryClient.builder().idleTimeout(java.time.Duration.ofMillis(300)).build();
    long start = System.nanoTime();
    assertThatThrownBy(
            () -> {
              try (InputStream in =
                  client.blob(ref(host), new Descriptor("x", DIGEST, BLOB.length))) {
                in.readAllBytes();
              }
            })
        .isInstanceOfSatisfying(
            OciException.class, e -> assertThat(e.code()).isEqualTo("registry-error"))
        .hasMessageContaining("no data for 300 ms");
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_500);
  }

  @Test
  void manifestWhoseBytesDoNotMatchTheDigestIsRefused() throws IOException {
    String host =
        serve(
            exchange ->
                send(exchange, 200, "{\"schemaVersion\":2}".getBytes(StandardCharsets.UTF_8)));
    assertThatThrownBy(() -> RegistryClient.create().manifest(ref(host)))
        .isInstanceOfSatisfying(
            OciException.class, e -> assertThat(e.code()).isEqualTo("digest-mismatch"));
  }

  @Test
  void nonLoopbackRegistriesUseHttpsUnlessConfiguredInsecure() {
    RegistryHttp http =
        new RegistryHttp(
            java.time.Duration.ofSeconds(1),
            java.time.Duration.ofSeconds(1),
            1,
            java.util.Set.of("reg.lan:5000"),
            java.util.Map.of());
    assertThat(http.base("registry.example")).isEqualTo("https://registry.example");
    assertThat(http.base("docker.io")).isEqualTo("https://registry-1.docker.io");
    assertThat(http.base("reg.lan:5000")).isEqualTo("http://reg.lan:5000");
    assertThat(http.base("localhost:5000")).isEqualTo("http://localhost:5000");
    assertThat(http.base("127.0.0.1:5000")).isEqualTo("http://127.0.0.1:5000");
  }
}
