package io.wetee.oci;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wetee.common.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds OCI images without Docker and pushes them through {@link RegistryClient}: a busybox image
 * from Debian's {@code busybox-static}, images from arbitrary layers, multi-arch indexes, and the
 * layers the unpacker must handle (whiteouts, opaque directories) or refuse (traversal, devices,
 * symlink escapes).
 */
public final class TestImages {
  /** Where Debian's busybox-static puts the binary. */
  public static final String BUSYBOX = "/bin/busybox";

  /** The busybox applets linked in {@link #busyboxLayer()}. */
  public static final List<String> APPLETS =
      List.of(
          "sh",
          "httpd",
          "ls",
          "cat",
          "echo",
          "env",
          "id",
          "sleep",
          "wget",
          "mkdir",
          "touch",
          "rm",
          "sed",
          "grep",
          "ps",
          "nc",
          "true",
          "false",
          "pwd",
          "hostname");

  private static final ObjectMapper JSON = Json.lenient();

  private TestImages() {}

  /**
   * A pushed image.
   *
   * @param ref the reference pinned to the pushed document (manifest or index)
   * @param manifestDigest the linux/amd64 image manifest's digest
   * @param config the config blob
   * @param layers the layers, base first
   */
  public record Built(
      ImageRef ref, String manifestDigest, Descriptor config, List<Descriptor> layers) {}

  /** The runtime settings written into a test image's config ({@code user}: its {@code User}). */
  public record Settings(
      List<String> entrypoint, List<String> cmd, List<String> env, String workingDir, String user) {
    /** Settings of an image that runs as root (no {@code User}). */
    public Settings(
        List<String> entrypoint, List<String> cmd, List<String> env, String workingDir) {
      this(entrypoint, cmd, env, workingDir, "");
    }

    /** These settings with {@code User} set to {@code value}. */
    public Settings withUser(String value) {
      return new Settings(entrypoint, cmd, env, workingDir, value);
    }

    /** busybox httpd serving /var/www on port 8080 in the foreground. */
    public static Settings httpd() {
      return new Settings(
          List.of("/bin/busybox"),
          List.of("httpd", "-f", "-p", "8080", "-h", "/var/www"),
          List.of("PATH=/bin", "GREETING=hello"),
          "/var/www");
    }
  }

  /**
   * One gzip layer with busybox (from busybox-static, installed if missing), its applet symlinks,
   * /etc/passwd and /etc/group, /tmp and /var/www/index.html.
   */
  public static byte[] busyboxLayer() {
    Path busybox = DebianPackages.require(BUSYBOX, "busybox-static");
    TarWriter tar = new TarWriter();
    tar.dir("bin", 0755).file("bin/busybox", busybox, 0755);
    for (String applet : APPLETS) {
      tar.symlink("bin/" + applet, "busybox");
    }
    tar.dir("etc", 0755)
        .file(
            "etc/passwd",
            "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n")
        .file("etc/group", "root:x:0:\nnogroup:x:65534:\n")
        .dir("tmp", 01777)
        .dir("var", 0755)
        .dir("var/www", 0755)
        .file("var/www/index.html", "hello from busybox\n");
    return TarWriter.gzip(tar.toBytes());
  }

  /** Pushes the busybox image (one layer, httpd settings) as {@code target} (repo:tag). */
  public static Built busybox(RegistryClient client, ImageRef target) {
    return push(client, target, List.of(busyboxLayer()), Settings.httpd());
  }

  /** Pushes an image of gzip {@code layers} with {@code settings} under {@code target}'s tag. */
  public static Built push(
      RegistryClient client, ImageRef target, List<byte[]> layers, Settings settings) {
    return push(client, target, layers, settings, "amd64");
  }

  /** As {@link #push(RegistryClient, ImageRef, List, Settings)} for another architecture. */
  public static Built push(
      RegistryClient client,
      ImageRef target,
      List<byte[]> layers,
      Settings settings,
      String architecture) {
    List<Descriptor> pushed = new ArrayList<>();
    List<String> diffIds = new ArrayList<>();
    for (byte[] layer : layers) {
      pushed.add(client.pushBlob(target, "application/vnd.oci.image.layer.v1.tar+gzip", layer));
      diffIds.add(diffId(layer));
    }
    return finish(client, target, pushed, diffIds, settings, architecture);
  }

  /** The diff_id of a gzip layer: the sha256 of its uncompressed tar. */
  public static String diffId(byte[] gzipLayer) {
    try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gzipLayer))) {
      return Digests.of(in.readAllBytes());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Pushes a manifest and config for layers already in the repository ({@code diffIds}: the sha256
   * of each layer's uncompressed tar).
   */
  public static Built finish(
      RegistryClient client,
      ImageRef target,
      List<Descriptor> layers,
      List<String> diffIds,
      Settings settings,
      String architecture) {
    Descriptor config =
        client.pushBlob(
            target, Manifests.OCI_CONFIG, json(config(settings, architecture, diffIds)));
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", Manifests.OCI_MANIFEST);
    manifest.put("config", descriptor(config));
    manifest.put("layers", layers.stream().map(TestImages::descriptor).toList());
    String digest = client.pushManifest(target, Manifests.OCI_MANIFEST, json(manifest));
    return new Built(target.withDigest(digest), digest, config, List.copyOf(layers));
  }

  /** Pushes an image index over {@code images} (each with its architecture) as {@code target}. */
  public static ImageRef index(
      RegistryClient client, ImageRef target, Map<String, Built> imagesByArchitecture) {
    List<Map<String, Object>> manifests = new ArrayList<>();
    imagesByArchitecture.forEach(
        (arch, image) -> {
          Map<String, Object> entry = new LinkedHashMap<>();
          entry.put("mediaType", Manifests.OCI_MANIFEST);
          entry.put("digest", image.manifestDigest());
          entry.put("size", manifestSize(client, image));
          entry.put("platform", Map.of("os", "linux", "architecture", arch));
          manifests.add(entry);
        });
    Map<String, Object> index = new LinkedHashMap<>();
    index.put("schemaVersion", 2);
    index.put("mediaType", Manifests.OCI_INDEX);
    index.put("manifests", manifests);
    return target.withDigest(client.pushManifest(target, Manifests.OCI_INDEX, json(index)));
  }

  private static long manifestSize(RegistryClient client, Built image) {
    return client.fetchManifest(image.ref(), image.manifestDigest()).bytes().length;
  }

  /** A layer that removes {@code bin/hostname} (whiteout) and empties {@code var/www} (opaque). */
  public static byte[] whiteoutLayer() {
    return TarWriter.gzip(
        new TarWriter()
            .file("bin/.wh.hostname", new byte[0], 0644)
            .dir("var/www", 0755)
            .file("var/www/.wh..wh..opq", new byte[0], 0644)
            .file("var/www/new.html", "replaced\n")
            .toBytes());
  }

  /** A layer with an entry named {@code ../escaped}. */
  public static byte[] traversalLayer() {
    return TarWriter.gzip(new TarWriter().file("../escaped", "outside\n").toBytes());
  }

  /** A layer with a character device node {@code dev/evil}. */
  public static byte[] deviceLayer() {
    return TarWriter.gzip(new TarWriter().dir("dev", 0755).special("dev/evil", '3').toBytes());
  }

  /** A layer with a symlink climbing out of the root and a file written through it. */
  public static byte[] symlinkEscapeLayer() {
    return TarWriter.gzip(
        new TarWriter()
            .symlink("escape", "../../../../../../../../tmp")
            .file("escape/wetee-escaped", "outside\n")
            .toBytes());
  }

  private static Map<String, Object> config(Settings s, String architecture, List<String> diffIds) {
    Map<String, Object> runtime = new LinkedHashMap<>();
    runtime.put("Entrypoint", s.entrypoint());
    runtime.put("Cmd", s.cmd());
    runtime.put("Env", s.env());
    runtime.put("WorkingDir", s.workingDir());
    if (!s.user().isEmpty()) {
      runtime.put("User", s.user());
    }
    runtime.put("ExposedPorts", Map.of("8080/tcp", Map.of()));
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("architecture", architecture);
    config.put("os", "linux");
    config.put("config", runtime);
    config.put("rootfs", Map.of("type", "layers", "diff_ids", diffIds));
    return config;
  }

  private static Map<String, Object> descriptor(Descriptor d) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("mediaType", d.mediaType());
    out.put("digest", d.digest());
    out.put("size", d.size());
    return out;
  }

  private static byte[] json(Object value) {
    try {
      return JSON.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
