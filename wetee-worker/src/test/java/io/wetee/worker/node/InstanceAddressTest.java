package io.wetee.worker.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.wetee.agent.AgentProtocol;
import io.wetee.worker.proxy.Backend;
import io.wetee.worker.proxy.ProxyConfig;
import io.wetee.worker.proxy.PublicEndpoint;
import io.wetee.worker.proxy.ReverseProxy;
import io.wetee.worker.spi.InstanceId;
import io.wetee.worker.spi.InstanceState;
import io.wetee.worker.spi.InstanceStatus;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reconciler reaches an instance at the address its runtime reports, not at a literal loopback:
 * an "agent" and a "program" listen on 127.0.0.2 only (another loopback address, so a call to
 * 127.0.0.1 finds nothing), the instance's status names 127.0.0.2, and the agent client, the status
 * polling and the proxy route (program and attestation path) all arrive there. An instance without
 * an address is not ready.
 */
class InstanceAddressTest {
  private static final String ADDRESS = "127.0.0.2";

  @TempDir Path dir;
  private HttpServer agent;
  private HttpServer program;
  private final List<String> seenAt = new CopyOnWriteArrayList<>();
  private final AtomicReference<Optional<InstanceStatus>> status =
      new AtomicReference<>(Optional.empty());
  private Placement placement;

  @BeforeEach
  void up() throws Exception {
    agent =
        server(
            "{\"state\":\"running\",\"instance\":\"0x" + "ab".repeat(20) + "\"}",
            "application/json");
    program = server("hello from the program", "text/plain");
    placement =
        new Placement(
            "w5-v1",
            5,
            1,
            -1,
            agent.getAddress().getPort(),
            Map.of(8080, program.getAddress().getPort()),
            "token",
            "0x00",
            "bundle");
  }

  @AfterEach
  void down() {
    agent.stop(0);
    program.stop(0);
  }

  @Test
  void theAgentIsCalledAtTheReportedAddressAndAnInstanceWithoutOneIsNotReady() {
    AgentWait agents = new AgentWait(id -> status.get());
    Set<String> running = Set.of("running");

    // Unknown to the runtime, then known without an address (a pod not scheduled yet).
    assertThat(agents.client(placement)).isEmpty();
    status.set(Optional.of(statusAt("")));
    assertThat(agents.client(placement)).isEmpty();
    assertThat(agents.await(placement, running, Duration.ofMillis(300))).isEmpty();

    // The wrong address (the old literal loopback): nothing answers there.
    status.set(Optional.of(statusAt("127.0.0.1")));
    assertThat(agents.await(placement, running, Duration.ofMillis(300))).isEmpty();
    assertThat(seenAt).isEmpty();

    status.set(Optional.of(statusAt(ADDRESS)));
    Optional<AgentProtocol.Status> s = agents.await(placement, running, Duration.ofSeconds(5));
    assertThat(s).map(AgentProtocol.Status::state).hasValue("running");
    assertThat(AgentWait.ok(agents.client(placement).orElseThrow().status()))
        .map(AgentProtocol.Status::state)
        .hasValue("running");
    assertThat(seenAt).isNotEmpty().allMatch(a -> a.equals(ADDRESS + " " + AgentProtocol.STATUS));

    // The address goes away (the pod is being replaced): no client until there is a new one.
    status.set(Optional.of(statusAt("")));
    assertThat(agents.client(placement)).isEmpty();
  }

  @Test
  void theProxyRoutesToTheReportedAddressForTheProgramAndTheAttestationPath() throws Exception {
    Backend b = WorkloadDriver.backend(ADDRESS, placement, 8080);
    assertThat(b.uri()).isEqualTo(URI.create("http://127.0.0.2:" + program.getAddress().getPort()));
    try (ReverseProxy proxy =
        ReverseProxy.open(
            ProxyConfig.defaults(dir.resolve("proxy.json")).withPorts(21_400, 21_499))) {
      PublicEndpoint e = proxy.expose("5", 8080);
      assertThat(proxy.switchTo("5", 8080, b).await(Duration.ofSeconds(5))).isTrue();
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> root =
          http.send(
              HttpRequest.newBuilder(e.url()).build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      assertThat(root.statusCode()).isEqualTo(200);
      assertThat(root.body()).isEqualTo("hello from the program");
      HttpResponse<String> att =
          http.send(
              HttpRequest.newBuilder(e.url().resolve(Backend.ATTESTATION_PATH)).build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      assertThat(att.statusCode()).isEqualTo(200);
      assertThat(att.body()).contains("\"state\":\"running\"");
    }
    assertThat(seenAt)
        .containsExactlyInAnyOrder(ADDRESS + " /", ADDRESS + " " + Backend.ATTESTATION_PATH);
  }

  private InstanceStatus statusAt(String host) {
    return new InstanceStatus(
        InstanceId.of("w5-v1"),
        "5",
        1,
        new InstanceState.Running(0, Instant.now(), false),
        Map.of(),
        0,
        host);
  }

  /** A server on 127.0.0.2 only that records the address and path of every request. */
  private HttpServer server(String body, String type) throws Exception {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getByName(ADDRESS), 0), 16);
    s.createContext(
        "/",
        exchange -> {
          try (exchange) {
            seenAt.add(
                exchange.getLocalAddress().getAddress().getHostAddress()
                    + " "
                    + exchange.getRequestURI().getPath());
            exchange.getResponseHeaders().add("Content-Type", type);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
          }
        });
    s.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    s.start();
    return s;
  }
}
