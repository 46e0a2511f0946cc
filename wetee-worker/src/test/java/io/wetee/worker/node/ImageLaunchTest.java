package io.wetee.worker.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.wetee.common.Json;
import io.wetee.oci.ImageStore;
import io.wetee.oci.LocalRegistry;
import io.wetee.oci.OciException;
import io.wetee.oci.PulledImage;
import io.wetee.oci.RegistryClient;
import io.wetee.oci.TestImages;
import io.wetee.worker.LocalRuntimeConfig;
import io.wetee.worker.Runtimes;
import io.wetee.worker.oci.ImageMounts;
import io.wetee.worker.spi.FileToWrite;
import io.wetee.worker.spi.ImageRoot;
import io.wetee.worker.spi.InstanceId;
import io.wetee.worker.spi.InstanceStatus;
import io.wetee.worker.spi.LaunchSpec;
import io.wetee.worker.spi.LogStream;
import io.wetee.worker.spi.StartResult;
import io.wetee.worker.spi.WorkloadRuntime;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker's image path against a real registry on loopback (Debian docker-registry) and an image
 * built from busybox-static: pinned pull, refusal of tags and of content that does not match its
 * digest, the launch spec an image instance gets, and the pulled image served by runc.
 */
class ImageLaunchTest {
  static LocalRegistry registry;
  static RegistryClient client;
  static TestImages.Built image;
  @TempDir Path dir;

  @BeforeAll
  static void up() {
    assumeTrue(ProcessHandle.current().info().user().orElse("").equals("root"), "runc needs root");
    registry = LocalRegistry.start();
    client = RegistryClient.create();
    image = TestImages.busybox(client, registry.ref("hello", "v1"));
  }

  @AfterAll
  static void down() {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void aTagIsRefusedBeforeAnyPullAndATamperedLayerNeverUnpacks() throws Exception {
    ImageStore store = ImageStore.open(dir.resolve("images"), client);
    String tag = registry.ref("hello", "v1").toString();
    assertThatThrownBy(() -> ImageLaunch.pull(store, tag))
        .isInstanceOfSatisfying(
            OciException.class, e -> assertThat(e.code()).isEqualTo("unpinned-reference"));
    assertThat(registry.log()).doesNotContain("/v2/hello/manifests/v1");

    Path blob = registry.blobFile(image.layers().get(0).digest());
    byte[] original = Files.readAllBytes(blob);
    byte[] tampered = original.clone();
    tampered[tampered.length / 2] ^= 1;
    Files.write(blob, tampered);
    try {
      assertThatThrownBy(() -> ImageLaunch.pull(store, image.ref().toString()))
          .isInstanceOfSatisfying(
              OciException.class, e -> assertThat(e.code()).isEqualTo("digest-mismatch"));
      try (var rootfs = Files.list(dir.resolve("images/rootfs"))) {
        assertThat(rootfs.toList()).isEmpty();
      }
    } finally {
      Files.write(blob, original);
    }
  }

  @Test
  void theImagesUserComesFromItsConfigAndRunsItsProgramOrFailsClosedWhenUnknown() throws Exception {
    // A second layer replaces the account files: user "web" (4100) with primary group 4200.
    byte[] accounts =
        io.wetee.oci.TarWriter.gzip(
            new io.wetee.oci.TarWriter()
                .dir("etc", 0755)
                .file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\nweb:x:4100:4200::/:/bin/sh\n")
                .file("etc/group", "root:x:0:\nweb:x:4200:\n")
                .toBytes());
    List<byte[]> layers = List.of(TestImages.busyboxLayer(), accounts);
    TestImages.Built web =
        TestImages.push(
            client, registry.ref("web", "v1"), layers, TestImages.Settings.httpd().withUser("web"));
    TestImages.Built ghost =
        TestImages.push(
            client,
            registry.ref("ghost", "v1"),
            layers,
            TestImages.Settings.httpd().withUser("ghost:web"));
    ImageStore store = ImageStore.open(dir.resolve("images"), client);
    LaunchSpec hostRooted =
        LaunchSpec.builder(InstanceId.of("w2-v1"), "2", 1)
            .appDir(dir)
            .command("/usr/bin/java", "-cp", "/app/.wetee-agent/a.jar", "io.wetee.agent.AgentMain")
            .build();
    ImageRoot webRoot =
        ImageLaunch.adapt(hostRooted, ImageLaunch.pull(store, web.ref().toString()), dir)
            .image()
            .orElseThrow();
    ImageRoot ghostRoot =
        ImageLaunch.adapt(hostRooted, ImageLaunch.pull(store, ghost.ref().toString()), dir)
            .image()
            .orElseThrow();
    assertThat(webRoot.user()).isEqualTo("web");
    assertThat(ghostRoot.user()).isEqualTo("ghost:web");

    Files.setPosixFilePermissions(
        dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    WorkloadRuntime runtime = Runtimes.local(LocalRuntimeConfig.defaults(dir.resolve("rt")));
    try {
      InstanceId id = InstanceId.of("img-user");
      String script = "id -u; id -g; echo w > /work/w && echo t > /tmp/t && echo writable";
      assertThat(
              runtime.start(
                  LaunchSpec.builder(id, "2", 1)
                      .image(webRoot)
                      .command("/bin/sh", "-c", script)
                      .build()))
          .isInstanceOf(StartResult.Started.class);
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> !runtime.status(id).orElseThrow().running());
      assertThat(runtime.readLog(id, LogStream.STDOUT, 1000)).hasValue("4100\n4200\nwritable\n");

      StartResult refused =
          runtime.start(
              LaunchSpec.builder(InstanceId.of("img-ghost"), "2", 1)
                  .image(ghostRoot)
                  .command("/bin/sh", "-c", "id -u")
                  .build());
      assertThat(refused)
          .isInstanceOfSatisfying(
              StartResult.Refused.class,
              r ->
                  assertThat(r.reason().code() + ": " + r.detail())
                      .isEqualTo(
                          "image-user-unknown: image User \"ghost:web\": no user \"ghost\" in"
                              + " the image's /etc/passwd"));
    } finally {
      runtime.list().forEach(s -> runtime.remove(s.id()));
      runtime.close();
    }
  }

  @Test
  void aPinnedImageBecomesAnImageInstanceOfTheAgentAndServesUnderRunc() throws Exception {
    ImageStore store = ImageStore.open(dir.resolve("images"), client);
    PulledImage pulled = ImageLaunch.pull(store, image.ref().toString());
    assertThat(pulled.manifestDigest()).isEqualTo(image.manifestDigest());

    LaunchSpec hostRooted =
        LaunchSpec.builder(InstanceId.of("w1-v1"), "1", 1)
            .appDir(dir)
            .command(
                "/usr/bin/java",
                "-Xmx96m",
                "-XX:AOTCache=/app/.wetee-agent/agent.aot",
                "-cp",
                "/app/.wetee-agent/000-a.jar:/app/.wetee-agent/001-b.jar",
                "io.wetee.agent.AgentMain")
            .workingDir("/work")
            .env("PATH", "/usr/local/bin:/usr/bin:/bin")
            .env("PORT", "20001")
            .file(
                FileToWrite.text(
                    InstancePlanner.CONFIG_FILE, "{\"paths\":{\"workDir\":\"/app\"},\"x\":1}"))
            .port(8080)
            .build();
    LaunchSpec adapted = ImageLaunch.adapt(hostRooted, pulled, dir.resolve("agent"));

    assertThat(adapted.image().orElseThrow().manifestDigest()).isEqualTo(image.manifestDigest());
    assertThat(adapted.image().orElseThrow().rootfs()).hasValue(pulled.rootfs());
    assertThat(adapted.appDir()).hasValue(dir.resolve("agent"));
    assertThat(adapted.command())
        .startsWith(ImageMounts.javaCommand().toArray(String[]::new))
        .endsWith(
            "-Xmx96m",
            "-cp",
            "/.wetee/app/.wetee-agent/000-a.jar:/.wetee/app/.wetee-agent/001-b.jar",
            "io.wetee.agent.AgentMain");
    assertThat(adapted.env())
        .containsEntry("PATH", "/bin")
        .containsEntry("GREETING", "hello")
        .containsEntry("PORT", "20001");
    JsonNode config =
        Json.strict()
            .readTree(new String(adapted.files().get(0).content(), StandardCharsets.UTF_8));
    assertThat(config.path("paths").path("workDir").asText()).isEqualTo("/var/www");
    assertThat(config.path("x").asInt()).isEqualTo(1);
    // The image's documents ride along, and chain to the digest the reference pins (what the
    // agent checks before using the image's entrypoint, cmd and env).
    java.util.Base64.Decoder b64 = java.util.Base64.getDecoder();
    io.wetee.oci.ImageDocuments docs =
        new io.wetee.oci.ImageDocuments(
            config.path("image").has("index")
                ? java.util.Optional.of(b64.decode(config.path("image").path("index").asText()))
                : java.util.Optional.empty(),
            b64.decode(config.path("image").path("manifest").asText()),
            b64.decode(config.path("image").path("config").asText()));
    assertThat(docs.verify(pulled.ref().digest().orElseThrow()).env()).contains("GREETING=hello");

    // The pulled root runs under runc as the image's own program would.
    Files.setPosixFilePermissions(
        dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    WorkloadRuntime runtime = Runtimes.local(LocalRuntimeConfig.defaults(dir.resolve("rt")));
    try {
      LaunchSpec httpd =
          LaunchSpec.builder(InstanceId.of("img-httpd"), "1", 1)
              .image(adapted.image().orElseThrow())
              .command("/bin/sh", "-c", "exec httpd -f -p 127.0.0.1:$PORT -h /var/www")
              .port(8080)
              .build();
      StartResult started = runtime.start(httpd);
      assertThat(started).isInstanceOf(StartResult.Started.class);
      int port = ((StartResult.Started) started).status().hostPort(8080);
      HttpClient http = HttpClient.newHttpClient();
      String body =
          Awaitility.await()
              .atMost(Duration.ofSeconds(30))
              .ignoreExceptions()
              .until(
                  () ->
                      http.send(
                              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                                  .build(),
                              HttpResponse.BodyHandlers.ofString())
                          .body(),
                  b -> b != null && !b.isEmpty());
      assertThat(body).isEqualTo("hello from busybox\n");
    } finally {
      List<InstanceStatus> all = runtime.list();
      all.forEach(s -> runtime.remove(s.id()));
      runtime.close();
    }
  }
}
