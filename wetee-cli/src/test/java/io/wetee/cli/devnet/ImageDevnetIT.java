package io.wetee.cli.devnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.wetee.chain.ChainClient;
import io.wetee.chain.WorkloadInfo;
import io.wetee.cli.CliRun;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue #6 on a devnet: examples/hello-oci's build.sh builds two images from busybox-static (no
 * Docker) and pushes them to a real registry on loopback (Debian docker-registry, started by the
 * script); {@code wetee app deploy} pins the tag, the devnet's worker pulls, verifies and runs the
 * image under runc with the agent, the URL answers with the secret's fingerprint, an update to the
 * second digest under a request loop fails no request, the stop refunds to the wei, and an image
 * whose content does not match its digest never starts.
 */
class ImageDevnetIT {
  static final String SECRET = "oci-s3cret";
  static AppNetwork net;
  static String registry;
  static Path registryHome;

  @BeforeAll
  static void up() throws Exception {
    net = new AppNetwork();
    AppDevnetIT.net = net;
    Path value = net.dir.resolve("api-key.txt");
    Files.writeString(value, SECRET);
    CliRun put = net.cli(2, "secret", "put", "api-key", "--value-file", value.toString());
    assertThat(put.exitCode()).as(put.err()).isZero();
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      registry = "127.0.0.1:" + s.getLocalPort();
    }
    registryHome = net.dir.resolve("home");
    Files.createDirectories(registryHome);
    build("--start-registry", "v1");
    build("v2");
  }

  @AfterAll
  static void down() throws Exception {
    Path pid = registryHome == null ? null : registryHome.resolve(".wetee/registry/registry.pid");
    if (pid != null && Files.exists(pid)) {
      long p = Long.parseLong(Files.readString(pid).trim());
      ProcessHandle.of(p).ifPresent(ProcessHandle::destroy);
    }
    if (net != null) {
      net.close();
    }
  }

  /** Runs examples/hello-oci/build.sh against the test registry; answers the pinned reference. */
  static String build(String... args) throws Exception {
    Path script = AppDevnetIT.example("hello-oci").getParent().resolve("build.sh");
    List<String> argv =
        Stream.concat(Stream.of(script.toString(), "--registry", registry), Stream.of(args))
            .toList();
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
    pb.environment().put("HOME", registryHome.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    List<String> lines = out.lines().toList();
    return lines.getLast();
  }

  /** The example's spec with the test registry, the image {@code image} and a temp name. */
  static Path spec(String name, String image) throws Exception {
    Path file = net.dir.resolve(name + ".yaml");
    Files.writeString(
        file,
        Files.readString(AppDevnetIT.example("hello-oci"))
            .replace("127.0.0.1:5000/hello-oci:v1", image));
    return file;
  }

  @Test
  void imageDeploysAnswersUpdatesWithoutAFailedRequestAndStopsWithAnExactRefund() throws Exception {
    long t0 = System.nanoTime();
    CliRun deploy =
        net.cli(2, "app", "deploy", spec("v1", registry + "/hello-oci:v1").toString(), "--json");
    assertThat(deploy.err()).contains("resolved to " + registry + "/hello-oci:v1@sha256:");
    long id = net.json(deploy).get("workloadId").asLong();
    JsonNode show = AppDevnetIT.awaitShow("app", id, "running");
    String url = show.get("url").asText();
    // The image's User "hello" (1000:1000 in its /etc/passwd) runs the agent and the program.
    String v1 =
        "hello from an OCI image v1; api-key sha256 "
            + AppDevnetIT.sha16(SECRET)
            + "; user hello 1000:1000\n";
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> AppDevnetIT.get(url).equals(v1));
    System.out.printf(
        "[ImageDevnetIT] deploy to first answer: %.1f s%n", (System.nanoTime() - t0) / 1e9);

    RequestLoop load = RequestLoop.start(AppDevnetIT.HTTP, url, "hello from an OCI image v2");
    Path v2 = spec("v2", registry + "/hello-oci:v2");
    JsonNode up = net.json(net.cli(2, "app", "update", Long.toString(id), v2.toString(), "--json"));
    assertThat(up.get("version").asLong()).isEqualTo(2);
    // As in AppDevnetIT: over 50 requests in all, whatever the speed of the switch.
    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> load.marked.get() > 20 && load.ok.get() + load.failed.get() > 50);
    load.close();
    assertThat(load.failed.get()).as(String.valueOf(load.firstFailure.get())).isZero();
    assertThat(load.ok.get()).isGreaterThan(50);
    System.out.printf(
        "[ImageDevnetIT] update under load: %d ok, %d failed%n", load.ok.get(), load.failed.get());

    try (ChainClient c = net.chain(2)) {
      BigInteger deposit = AppDevnetIT.deposit(c, id);
      BigInteger price = c.cloud().priceOf(id).perBlock();
      JsonNode stop = net.json(net.cli(2, "app", "stop", Long.toString(id), "--json"));
      BigInteger refund = new BigInteger(stop.get("refund").asText());
      BigInteger settled = AppDevnetIT.settledBlocks(c, id);
      assertThat(refund.add(price.multiply(settled))).isEqualTo(deposit);
      assertThat(c.cloud().workload(id).status()).isEqualTo(WorkloadInfo.Status.STOPPED);
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                net.worker.runtime().list().stream()
                    .noneMatch(s -> s.workloadId().equals(Long.toString(id))));
  }

  @Test
  void anImageWhoseContentDoesNotMatchItsDigestIsRefusedBeforeStart() throws Exception {
    String pinned = build("v3");
    // Corrupt the layer in the registry's storage: the registry now serves other bytes.
    String manifestHex = pinned.substring(pinned.indexOf("@sha256:") + 8);
    Path blobs = registryHome.resolve(".wetee/registry/storage/docker/registry/v2/blobs/sha256");
    String manifest =
        Files.readString(
            blobs.resolve(manifestHex.substring(0, 2)).resolve(manifestHex).resolve("data"));
    String layerHex =
        manifest.substring(
            manifest.lastIndexOf("sha256:") + 7, manifest.lastIndexOf("sha256:") + 71);
    Path layer = blobs.resolve(layerHex.substring(0, 2)).resolve(layerHex).resolve("data");
    byte[] bytes = Files.readAllBytes(layer);
    bytes[bytes.length / 2] ^= 1;
    Files.write(layer, bytes);

    long id =
        net.json(net.cli(2, "app", "deploy", spec("v3", pinned).toString(), "--json"))
            .get("workloadId")
            .asLong();
    JsonNode show = AppDevnetIT.awaitShow("app", id, "failed");
    assertThat(show.get("worker").get("reason").asText()).isEqualTo("image-refused");
    assertThat(show.get("worker").get("detail").asText()).startsWith("digest-mismatch");
    try (ChainClient c = net.chain(2)) {
      WorkloadInfo w = c.cloud().workload(id);
      assertThat(w.status()).isEqualTo(WorkloadInfo.Status.PENDING);
      assertThat(w.instance()).isEqualTo("0x0000000000000000000000000000000000000000");
    }
    assertThat(
            net.worker.runtime().list().stream()
                .noneMatch(s -> s.workloadId().equals(Long.toString(id))))
        .isTrue();
    net.cli(2, "app", "stop", Long.toString(id));
  }
}
