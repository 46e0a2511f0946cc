package io.wetee.worker.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.sun.net.httpserver.HttpServer;
import io.wetee.common.Json;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReverseProxyTest {
  @TempDir Path state;
  ReverseProxy proxy;
  final List<HttpServer> backends = new ArrayList<>();
  final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeEach
  void open() {
    proxy = ReverseProxy.open(config());
  }

  private ProxyConfig config() {
    return ProxyConfig.defaults(state.resolve("proxy.json")).withPorts(21_000, 21_099);
  }

  @AfterEach
  void close() {
    proxy.close();
    backends.forEach(b -> b.stop(0));
  }

  private HttpServer backend(HttpServer server) {
    backends.add(server);
    return server;
  }

  private HttpResponse<String> get(URI url) throws Exception {
    return client.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void exposedPortKeepsItsUrlAcrossAProxyRestart() {
    PublicEndpoint first = proxy.expose("7", 8080);
    PublicEndpoint other = proxy.expose("7", 9090);
    proxy.close();

    proxy = ReverseProxy.open(config());
    PublicEndpoint again = proxy.expose("7", 8080);

    assertThat(first.url()).isEqualTo(URI.create("http://127.0.0.1:21000/"));
    assertThat(other.listenPort()).isEqualTo(21_001);
    assertThat(again).isEqualTo(first);
    assertThat(proxy.expose("7", 8080)).isEqualTo(first);
  }

  @Test
  void sendsTheAttestationPathToTheInstancesAgentAndEverythingElseToTheProgram() throws Exception {
    HttpServer program = backend(Backends.text("program"));
    HttpServer agent = backend(Backends.text("agent"));
    PublicEndpoint endpoint = proxy.expose("7", 8080);
    proxy.switchTo("7", 8080, Backends.of(program).withAttestation(agent.getAddress().getPort()));

    assertThat(get(endpoint.url().resolve("/.well-known/wetee/attestation")).body())
        .isEqualTo("agent");
    assertThat(get(endpoint.url().resolve("/.well-known/wetee/attestation/x")).body())
        .isEqualTo("program");
    assertThat(get(endpoint.url().resolve("/")).body()).isEqualTo("program");

    proxy.switchTo("7", 8080, Backends.of(program)); // no agent: the program answers every path
    assertThat(get(endpoint.url().resolve("/.well-known/wetee/attestation")).body())
        .isEqualTo("program");
  }

  @Test
  void answersAProblem503WhileNoInstanceRuns() throws Exception {
    PublicEndpoint endpoint = proxy.expose("7", 8080);

    HttpResponse<String> response = get(endpoint.url());

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/problem+json");
    assertThat(
            Json.strict().readValue(response.body(), new TypeReference<Map<String, Object>>() {}))
        .isEqualTo(
            Map.of(
                "type", "about:blank",
                "title", "Service Unavailable",
                "status", 503,
                "detail", "workload 7 port 8080 has no running instance"));
  }

  @Test
  void answersAProblem502WhenTheInstanceRefusesConnections() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    PublicEndpoint endpoint = proxy.expose("7", 8080);
    proxy.switchTo("7", 8080, Backend.loopback(closedPort));

    HttpResponse<String> response = get(endpoint.url());

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(response.body()).contains("refused the connection");
  }

  @Test
  void aGetWhosePooledBackendConnectionsWereDroppedIsAnsweredOverAFreshConnection()
      throws Exception {
    try (DroppingBackend dropping = DroppingBackend.start(3)) {
      PublicEndpoint endpoint = proxy.expose("7", 8080);
      proxy.switchTo("7", 8080, dropping.backend());
      // Three requests at once leave three idle keep-alive connections in the proxy's pool.
      List<Future<HttpResponse<String>>> first = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        first.add(
            client.sendAsync(
                HttpRequest.newBuilder(endpoint.url()).build(),
                HttpResponse.BodyHandlers.ofString()));
      }
      for (Future<HttpResponse<String>> f : first) {
        assertThat(f.get(10, TimeUnit.SECONDS).body()).isEqualTo("ok");
      }

      // The backend drops every reused connection: the pooled ones all fail before an answer.
      HttpResponse<String> response = get(endpoint.url());

      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("ok");
      assertThat(dropping.dropped()).as("pooled connections tried").isPositive();
      assertThat(dropping.answered()).isEqualTo(4);
    }
  }

  @Test
  void forwardsMethodPathQueryBodyAndEndToEndHeadersOnly() throws Exception {
    Map<String, String> seen = new ConcurrentHashMap<>();
    HttpServer echo =
        backend(
            Backends.start(
                exchange -> {
                  try (exchange) {
                    seen.put("method", exchange.getRequestMethod());
                    seen.put("uri", exchange.getRequestURI().toString());
                    exchange
                        .getRequestHeaders()
                        .forEach(
                            (k, v) ->
                                seen.put(
                                    k.toLowerCase(java.util.Locale.ROOT), String.join(",", v)));
                    byte[] body = exchange.getRequestBody().readAllBytes();
                    exchange.getResponseHeaders().add("X-Backend", "echo");
                    exchange.getResponseHeaders().add("Connection", "X-Secret-Hop");
                    exchange.getResponseHeaders().add("X-Secret-Hop", "leak");
                    exchange.sendResponseHeaders(201, body.length);
                    exchange.getResponseBody().write(body);
                  }
                }));
    PublicEndpoint endpoint = proxy.expose("7", 8080);
    proxy.switchTo("7", 8080, Backends.of(echo));

    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(endpoint.url().resolve("/a/b?x=1&y=%20"))
                .POST(HttpRequest.BodyPublishers.ofString("payload"))
                .header("X-Custom", "kept")
                .header("Keep-Alive", "timeout=5")
                .header("X-Hop", "dropped")
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.body()).isEqualTo("payload");
    assertThat(response.headers().firstValue("x-backend")).hasValue("echo");
    assertThat(response.headers().firstValue("x-secret-hop")).isEmpty();
    assertThat(seen)
        .containsEntry("method", "POST")
        .containsEntry("uri", "/a/b?x=1&y=%20")
        .containsEntry("x-custom", "kept")
        .containsEntry("x-forwarded-for", "127.0.0.1")
        .containsEntry("x-forwarded-host", "127.0.0.1:" + endpoint.listenPort())
        .containsEntry("x-forwarded-proto", "http")
        .doesNotContainKey("keep-alive");
  }

  @Test
  void streamsTheResponseBodyAsTheInstanceWritesIt() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    HttpServer streaming =
        backend(
            Backends.start(
                exchange -> {
                  try (exchange) {
                    exchange.sendResponseHeaders(200, 0);
                    exchange.getResponseBody().write("first\n".getBytes(StandardCharsets.UTF_8));
                    exchange.getResponseBody().flush();
                    release.await(10, TimeUnit.SECONDS);
                    exchange.getResponseBody().write("second\n".getBytes(StandardCharsets.UTF_8));
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                }));
    PublicEndpoint endpoint = proxy.expose("7", 8080);
    proxy.switchTo("7", 8080, Backends.of(streaming));

    HttpResponse<InputStream> response =
        client.send(
            HttpRequest.newBuilder(endpoint.url()).build(),
            HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      byte[] first = body.readNBytes(6);
      assertThat(release.getCount()).isEqualTo(1); // the instance has not finished yet
      release.countDown();
      assertThat(new String(first, StandardCharsets.UTF_8)).isEqualTo("first\n");
      assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("second\n");
    }
  }

  @Test
  void streamsALargeRequestBodyOfUnknownLength() throws Exception {
    HttpServer hashing =
        backend(
            Backends.start(
                exchange -> {
                  try (exchange) {
                    MessageDigest sha = MessageDigest.getInstance("SHA-256");
                    try (InputStream in = exchange.getRequestBody()) {
                      byte[] buffer = new byte[8192];
                      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                        sha.update(buffer, 0, n);
                      }
                    }
                    byte[] hex =
                        HexFormat.of().formatHex(sha.digest()).getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(200, hex.length);
                    exchange.getResponseBody().write(hex);
                  } catch (java.security.NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                  }
                }));
    PublicEndpoint endpoint = proxy.expose("7", 8080);
    proxy.switchTo("7", 8080, Backends.of(hashing));
    byte[] upload = new byte[5 << 20];
    new Random(7).nextBytes(upload);

    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(endpoint.url())
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(upload)))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.body())
        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(upload)));
  }

  @Test
  void requestInFlightOnTheOldInstanceCompletesThereAfterASwitch() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    HttpServer slowOld =
        backend(
            Backends.start(
                exchange -> {
                  try (exchange) {
                    entered.countDown();
                    release.await(10, TimeUnit.SECONDS);
                    byte[] body = "old".getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                }));
    HttpServer fresh = backend(Backends.text("new"));
    PublicEndpoint endpoint = proxy.expose("7", 8080);
    proxy.switchTo("7", 8080, Backends.of(slowOld));
    Future<HttpResponse<String>> inFlight =
        client.sendAsync(
            HttpRequest.newBuilder(endpoint.url()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

    Drain drain = proxy.switchTo("7", 8080, Backends.of(fresh));

    assertThat(drain.previous()).hasValue(Backends.of(slowOld));
    assertThat(get(endpoint.url()).body()).isEqualTo("new");
    assertThat(drain.await(Duration.ofMillis(200))).isFalse();
    release.countDown();
    assertThat(inFlight.get(10, TimeUnit.SECONDS).body()).isEqualTo("old");
    assertThat(drain.await(Duration.ofSeconds(5))).isTrue();
  }

  @Test
  void updatingTheInstanceTenTimesUnderConcurrentLoadFailsNoRequest() throws Exception {
    PublicEndpoint endpoint = proxy.expose("7", 8080);
    HttpServer current = Backends.text("v0");
    proxy.switchTo("7", 8080, Backends.of(current));
    LoadLoop load = LoadLoop.start(endpoint.url(), 4);

    for (int version = 1; version <= 10; version++) {
      Thread.sleep(30);
      HttpServer next = Backends.text("v" + version);
      Drain drain = proxy.switchTo("7", 8080, Backends.of(next));
      assertThat(drain.await(Duration.ofSeconds(5))).isTrue();
      current.stop(0); // the old instance stops as soon as it has drained
      current = next;
    }
    Thread.sleep(30);
    LoadLoop.Result result = load.stop();
    current.stop(0);

    assertThat(result.failures()).as(result.firstFailure()).isZero();
    assertThat(result.bodies()).containsKey("v10");
    assertThat(result.bodies().size()).as("versions seen").isGreaterThanOrEqualTo(5);
    assertThat(result.total()).isGreaterThan(50);
  }

  @Test
  void switchingToTheCurrentBackendChangesNothing() {
    proxy.expose("7", 8080);
    proxy.switchTo("7", 8080, Backend.loopback(1234));

    Drain drain = proxy.switchTo("7", 8080, Backend.loopback(1234));

    assertThat(drain.previous()).isEmpty();
    assertThat(proxy.backend("7", 8080)).hasValue(Backend.loopback(1234));
  }

  @Test
  void unexposeStopsListeningAndFreesThePort() throws Exception {
    PublicEndpoint endpoint = proxy.expose("7", 8080);

    proxy.unexpose("7", 8080);

    assertThatThrownBy(() -> get(endpoint.url())).isInstanceOf(java.net.ConnectException.class);
    assertThat(proxy.expose("8", 8080).listenPort()).isEqualTo(endpoint.listenPort());
    assertThatThrownBy(() -> proxy.switchTo("7", 8080, Backend.loopback(1)))
        .isInstanceOf(IllegalStateException.class);
  }
}
