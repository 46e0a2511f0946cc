package io.wetee.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pulls images built by the test from a real docker-registry on loopback. */
class RegistryPullIT {
  private static LocalRegistry registry;
  private static RegistryClient client;
  private static TestImages.Built busybox;

  @TempDir Path cache;

  @BeforeAll
  static void startRegistry() {
    registry = LocalRegistry.start();
    client = RegistryClient.create();
    busybox = TestImages.busybox(client, registry.ref("wetee/busybox", "1"));
  }

  @AfterAll
  static void stopRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void resolvesTagToTheDigestOfThePushedManifest() {
    assertThat(client.resolve(registry.ref("wetee/busybox", "1")))
        .isEqualTo(busybox.manifestDigest());
  }

  @Test
  void pullsByDigestIntoARunnableRootfsWithMountPoints() throws Exception {
    PulledImage image = ImageStore.open(cache, client).pull(busybox.ref());

    assertThat(image.manifestDigest()).isEqualTo(busybox.manifestDigest());
    assertThat(image.layerDigests()).containsExactly(busybox.layers().getFirst().digest());
    assertThat(image.rootfs())
        .isEqualTo(cache.resolve("rootfs").resolve(busybox.manifestDigest().substring(7)));
    assertThat(image.config().command())
        .containsExactly("/bin/busybox", "httpd", "-f", "-p", "8080", "-h", "/var/www");
    assertThat(image.config().env()).containsExactly("PATH=/bin", "GREETING=hello");
    assertThat(image.config().workingDir()).isEqualTo("/var/www");
    assertThat(image.config().exposedPorts()).containsExactly("8080/tcp");
    Path root = image.rootfs();
    assertThat(Files.readSymbolicLink(root.resolve("bin/sh"))).isEqualTo(Path.of("busybox"));
    assertThat(Files.isExecutable(root.resolve("bin/busybox"))).isTrue();
    for (String dir : ImageStore.MOUNT_POINTS) {
      assertThat(root.resolve(dir)).isDirectory();
    }
    assertThat(Files.getAttribute(root.resolve("tmp"), "unix:mode")).isEqualTo(041777);
    // The static busybox from the image really runs.
    Process echo =
        new ProcessBuilder(root.resolve("bin/busybox").toString(), "echo", "pulled")
            .redirectErrorStream(true)
            .start();
    assertThat(new String(echo.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
        .isEqualTo("pulled\n");
    assertThat(echo.waitFor()).isZero();
    // Every blob is cached under its digest, nothing half-written is left in tmp.
    assertThat(ImageStore.open(cache, client).blobs().has(busybox.config().digest())).isTrue();
    try (var left = Files.list(cache.resolve("tmp"))) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void secondPullIsACacheHitWithoutTheRegistry() {
    ImageStore.open(cache, client).pull(busybox.ref());
    // A client pointing at a closed port would fail any network call.
    RegistryClient offline =
        RegistryClient.builder()
            .attempts(1)
            .connectTimeout(java.time.Duration.ofMillis(200))
            .build();
    ImageStore store = ImageStore.open(cache, offline);
    ImageRef sameDigestElsewhere =
        ImageRef.parse("127.0.0.1:1/wetee/busybox@" + busybox.manifestDigest());
    long start = System.nanoTime();
    PulledImage again = store.pull(sameDigestElsewhere);
    long micros = (System.nanoTime() - start) / 1000;
    System.out.printf("cache hit: %.2f ms%n", micros / 1000.0);
    assertThat(again.manifestDigest()).isEqualTo(busybox.manifestDigest());
    assertThat(micros).isLessThan(100_000);
    // The same store remembers the digest; a deleted rootfs is noticed and rebuilt from blobs.
    start = System.nanoTime();
    assertThat(store.pull(sameDigestElsewhere)).isEqualTo(again);
    System.out.printf("cache hit, same store: %.3f ms%n", (System.nanoTime() - start) / 1e6);
    assertThat(again.rootfs()).isDirectory();
  }

  @Test
  void refusesAnUnpinnedReference() {
    assertThatThrownBy(
            () -> ImageStore.open(cache, client).pull(registry.ref("wetee/busybox", "1")))
        .isInstanceOfSatisfying(
            OciException.class, e -> assertThat(e.code()).isEqualTo("unpinned-reference"));
  }

  @Test
  void unknownDigestIsNotFound() {
    ImageRef missing = registry.ref("wetee/busybox", "1").withDigest("sha256:" + "ab".repeat(32));
    assertThatThrownBy(() -> ImageStore.open(cache, client).pull(missing))
        .isInstanceOfSatisfying(
            OciException.class, e -> assertThat(e.code()).isEqualTo("not-found"));
  }

  @Test
  void indexResolvesToTheAmd64Manifest() {
    TestImages.Built arm =
        TestImages.push(
            client,
            registry.ref("wetee/multi", "arm64"),
            List.of(TarWriter.gzip(new TarWriter().file("arch", "arm64\n").toBytes())),
            TestImages.Settings.httpd(),
            "arm64");
    TestImages.Built amd =
        TestImages.push(
            client,
            registry.ref("wetee/multi", "amd64"),
            List.of(TarWriter.gzip(new TarWriter().file("arch", "amd64\n").toBytes())),
            TestImages.Settings.httpd());
    ImageRef index =
        TestImages.index(
            client,
            registry.ref("wetee/multi", "latest"),
            new java.util.LinkedHashMap<>(Map.of("arm64", arm, "amd64", amd)));

    PulledImage image = ImageStore.open(cache, client).pull(index);

    assertThat(image.manifestDigest()).isEqualTo(amd.manifestDigest());
    assertThat(image.rootfs().resolve("arch")).hasContent("amd64");
    assertThat(client.manifest(index).indexDigest()).contains(index.digest().orElseThrow());
  }

  @Test
  void indexWithoutAmd64IsNoPlatform() {
    TestImages.Built arm =
        TestImages.push(
            client,
            registry.ref("wetee/armonly", "arm64"),
            List.of(TarWriter.gzip(new TarWriter().file("arch", "arm64\n").toBytes())),
            TestImages.Settings.httpd(),
            "arm64");
    ImageRef index =
        TestImages.index(client, registry.ref("wetee/armonly", "latest"), Map.of("arm64", arm));
    assertThatThrownBy(() -> ImageStore.open(cache, client).pull(index))
        .isInstanceOfSatisfying(
            OciException.class, e -> assertThat(e.code()).isEqualTo("no-platform"));
  }

  @Test
  void appliesWhiteoutsAndOpaqueDirectoriesOfUpperLayers() throws IOException {
    TestImages.Built layered =
        TestImages.push(
            client,
            registry.ref("wetee/layered", "1"),
            List.of(TestImages.busyboxLayer(), TestImages.whiteoutLayer()),
            TestImages.Settings.httpd());

    Path root = ImageStore.open(cache, client).pull(layered.ref()).rootfs();

    assertThat(root.resolve("bin/hostname")).doesNotExist();
    assertThat(Files.exists(root.resolve("bin/hostname"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(root.resolve("bin/sh")).exists();
    try (var www = Files.list(root.resolve("var/www"))) {
      assertThat(www.map(p -> p.getFileName().toString())).containsExactly("new.html");
    }
  }

  @Test
  void tamperedBlobIsRefusedAndNothingIsCached() throws IOException {
    byte[] layer = TarWriter.gzip(new TarWriter().file("payload", "original\n").toBytes());
    TestImages.Built image =
        TestImages.push(
            client,
            registry.ref("wetee/tampered", "1"),
            List.of(layer),
            TestImages.Settings.httpd());
    String layerDigest = image.layers().getFirst().digest();
    Path stored = registry.blobFile(layerDigest);
    byte[] evil = TarWriter.gzip(new TarWriter().file("payload", "evil!!!!!\n").toBytes());
    Files.write(stored, evil);

    ImageStore store = ImageStore.open(cache, client);
    assertThatThrownBy(() -> store.pull(image.ref()))
        .isInstanceOfSatisfying(
            OciException.class, e -> assertThat(e.code()).isEqualTo("digest-mismatch"));
    assertThat(store.blobs().has(layerDigest)).isFalse();
    assertThat(cache.resolve("rootfs").resolve(image.manifestDigest().substring(7))).doesNotExist();
    try (var rootfs = Files.list(cache.resolve("rootfs"));
        var tmp = Files.list(cache.resolve("tmp"))) {
      assertThat(rootfs).isEmpty();
      assertThat(tmp).isEmpty();
    }
  }

  @Test
  void maliciousLayersAreRefusedWithoutARootfs() {
    for (byte[] layer :
        List.of(
            TestImages.traversalLayer(),
            TestImages.deviceLayer(),
            TestImages.symlinkEscapeLayer())) {
      TestImages.Built image =
          TestImages.push(
              client, registry.ref("wetee/evil", "x"), List.of(layer), TestImages.Settings.httpd());
      assertThatThrownBy(() -> ImageStore.open(cache, client).pull(image.ref()))
          .isInstanceOfSatisfying(
              OciException.class, e -> assertThat(e.code()).isEqualTo("layer-refused"));
      assertThat(cache.resolve("rootfs").resolve(image.manifestDigest().substring(7)))
          .doesNotExist();
    }
    assertThat(Path.of("/tmp/wetee-escaped")).doesNotExist();
  }

  @Test
  void concurrentPullsOfOneImageShareOneRootfs() throws Exception {
    List<Future<PulledImage>> pulls = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
      for (int i = 0; i < 4; i++) {
        pulls.add(pool.submit(() -> ImageStore.open(cache, client).pull(busybox.ref())));
      }
      Path first = pulls.getFirst().get().rootfs();
      for (Future<PulledImage> pull : pulls) {
        assertThat(pull.get().rootfs()).isEqualTo(first);
      }
      assertThat(first.resolve("bin/busybox")).isRegularFile();
    }
  }

  @Test
  void chunkedUploadStoresTheWholeBlob(@TempDir Path dir) throws IOException {
    byte[] data = new byte[300_000];
    new java.util.Random(7).nextBytes(data);
    Path file = Files.write(dir.resolve("blob"), data);
    ImageRef repo = registry.ref("wetee/chunked", "1");

    Descriptor pushed = client.pushBlob(repo, "application/octet-stream", file, 64 << 10);

    assertThat(pushed.digest()).isEqualTo(Digests.of(data));
    assertThat(client.hasBlob(repo, pushed.digest())).isTrue();
    try (InputStream in = client.blob(repo, pushed)) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }
  }

  @Test
  void blobStreamVerifiesTheDigest() throws IOException {
    Descriptor layer = busybox.layers().getFirst();
    try (InputStream in = client.blob(busybox.ref(), layer)) {
      assertThat(Digests.of(in.readAllBytes())).isEqualTo(layer.digest());
    }
  }
}
