package io.wetee.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.wetee.worker.proxy.Backend;
import io.wetee.worker.proxy.Drain;
import io.wetee.worker.proxy.LoadLoop;
import io.wetee.worker.proxy.ProxyConfig;
import io.wetee.worker.proxy.PublicEndpoint;
import io.wetee.worker.proxy.ReverseProxy;
import io.wetee.worker.spi.ExitReason;
import io.wetee.worker.spi.InstanceId;
import io.wetee.worker.spi.InstanceState;
import io.wetee.worker.spi.InstanceStatus;
import io.wetee.worker.spi.LaunchSpec;
import io.wetee.worker.spi.WorkloadRuntime;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole runtime path with real parts: a program directory packed into a bundle, fetched into
 * the cache, run in sandboxes, reached through the proxy's stable URL, and updated to a new version
 * while clients keep sending requests.
 */
class SandboxedServiceIT {
  private static final String SERVER =
      """
      import os, http.server
      VERSION = open(os.path.join(os.path.dirname(__file__), "VERSION")).read().strip()
      class Handler(http.server.BaseHTTPRequestHandler):
          def do_GET(self):
              body = VERSION.encode()
              self.send_response(200)
              self.send_header("Content-Length", str(len(body)))
              self.end_headers()
              self.wfile.write(body)
          def log_message(self, *args):
              pass
      server = http.server.ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), Handler)
      server.serve_forever()
      """;

  @TempDir Path tmp;
  WorkloadRuntime runtime;
  ReverseProxy proxy;
  BundleCache cache;

  @BeforeEach
  void open() throws Exception {
    assumeTrue(Sandboxes.pythonPresent(), "python3 is needed for the sandboxed service");
    Path state = Files.createDirectories(tmp.resolve("state"));
    Sandboxes.shared(tmp);
    runtime = Sandboxes.open(state);
    cache = BundleCache.open(tmp.resolve("bundles"));
    proxy =
        ReverseProxy.open(
            ProxyConfig.defaults(tmp.resolve("proxy.json")).withPorts(21_100, 21_199));
  }

  @AfterEach
  void close() {
    if (runtime != null) {
      proxy.close();
      runtime.list().forEach(s -> runtime.remove(s.id()));
      runtime.close();
    }
  }

  private Path bundle(String version) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("src-" + version));
    Files.writeString(dir.resolve("server.py"), SERVER);
    Files.writeString(dir.resolve("VERSION"), version + "\n");
    PackResult.Packed packed =
        (PackResult.Packed) BundlePacker.pack(dir, tmp.resolve(version + ".tar.gz"));
    BundleRef ref = BundleRef.parse(packed.fileRef().toString());
    return ((FetchResult.Ready) cache.fetch(ref)).root();
  }

  private InstanceStatus startHealthy(String version, Path app) {
    InstanceId id = InstanceId.of("svc-" + version + "-" + ProcessHandle.current().pid());
    LaunchSpec spec =
        LaunchSpec.builder(id, "42", Long.parseLong(version.substring(1)))
            .appDir(app)
            .command("python3", "server.py")
            .port(8080)
            .build();
    InstanceStatus status = Sandboxes.started(runtime, spec);
    URI health = URI.create("http://127.0.0.1:" + status.hostPort(8080) + "/health");
    assertThat(HealthCheck.http(health).awaitHealthy(Duration.ofSeconds(20)))
        .isInstanceOf(HealthResult.Healthy.class);
    return status;
  }

  @Test
  void updatingASandboxedServiceBehindTheProxyFailsNoRequestAndEndsOnTheNewVersion()
      throws Exception {
    InstanceStatus v1 = startHealthy("v1", bundle("v1"));
    PublicEndpoint endpoint = proxy.expose("42", 8080);
    proxy.switchTo("42", 8080, Backend.loopback(v1.hostPort(8080)));
    HttpClient client = HttpClient.newHttpClient();
    assertThat(
            client
                .send(
                    HttpRequest.newBuilder(endpoint.url()).build(),
                    HttpResponse.BodyHandlers.ofString())
                .body())
        .isEqualTo("v1");
    LoadLoop load = LoadLoop.start(endpoint.url(), 4);
    Thread.sleep(300);

    InstanceStatus v2 = startHealthy("v2", bundle("v2"));
    Drain drain = proxy.switchTo("42", 8080, Backend.loopback(v2.hostPort(8080)));
    assertThat(drain.await(Duration.ofSeconds(10))).isTrue();
    InstanceStatus stopped = runtime.stop(v1.id(), Duration.ofSeconds(5)).orElseThrow();
    Thread.sleep(300);
    LoadLoop.Result result = load.stop();

    assertThat(result.failures()).as(result.firstFailure()).isZero();
    assertThat(result.bodies()).containsOnlyKeys("v1", "v2");
    assertThat(result.bodies().get("v2")).isPositive();
    assertThat(
            client
                .send(
                    HttpRequest.newBuilder(endpoint.url()).build(),
                    HttpResponse.BodyHandlers.ofString())
                .body())
        .isEqualTo("v2");
    assertThat(((InstanceState.Exited) stopped.state()).reason()).isEqualTo(ExitReason.STOPPED);
    assertThat(cache.find(Archives.sha256(tmp.resolve("v1.tar.gz")))).isPresent();
    System.out.println("[SandboxedServiceIT] requests during the update: " + result);
  }
}
