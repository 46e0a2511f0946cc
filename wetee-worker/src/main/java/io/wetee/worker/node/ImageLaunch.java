package io.wetee.worker.node;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wetee.common.Json;
import io.wetee.oci.ImageRef;
import io.wetee.oci.ImageStore;
import io.wetee.oci.OciException;
import io.wetee.oci.PulledImage;
import io.wetee.worker.WorkerException;
import io.wetee.worker.oci.ImageMounts;
import io.wetee.worker.spi.FileToWrite;
import io.wetee.worker.spi.ImageRoot;
import io.wetee.worker.spi.LaunchSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns the launch spec the planner makes for a host-rooted sandbox into the one of an image
 * instance: the same agent, config, ports and limits, but run by runc in the pulled image.
 *
 * <p>Design notes: the agent runs on the host JDK through the host's loader ({@link
 * ImageMounts#javaCommand()}), its class path is the composed agent directory (what a bundle
 * instance sees at {@code /app}: here only {@code .wetee-agent/}) mounted at {@link
 * ImageMounts#APP}, and the program's working directory is the image's. The environment the agent
 * inherits starts from the image's {@code Env}; the planner's variables ({@code PORT}, {@code
 * WETEE_PORT_*}, {@code LANG}) win. The agent config carries the image's documents (index,
 * manifest, config); the agent checks them against the digest the spec pins and then uses the
 * image's entrypoint and cmd (unless the spec has a {@code command}) and its {@code Env} under the
 * spec's {@code env}. The image's {@code User} goes with the image root: the runtime runs the
 * agent, and so the program it starts, as that user (resolved in the image; see {@code ImageUser}).
 * The agent's AOT cache option is dropped: it names a file of the composed bundle directory, and
 * its class path differs inside an image.
 */
final class ImageLaunch {
  private ImageLaunch() {}

  /**
   * Pulls the image a spec names, refusing an unpinned reference before any network access; every
   * document and blob is verified against its digest (from the cache when present).
   *
   * @throws OciException {@code bad-reference}, {@code unpinned-reference}, {@code
   *     digest-mismatch}, {@code not-found} and the other codes of the image store
   */
  static PulledImage pull(ImageStore images, String image) {
    ImageRef ref = ImageRef.parse(image);
    if (!ref.isPinned()) {
      throw new OciException(
          OciException.Reason.UNPINNED,
          image + " names a tag; the spec must pin the image by digest (@sha256:...)");
    }
    return images.pull(ref);
  }

  /**
   * The image instance's launch spec for {@code hostRooted} (the planner's bwrap spec, whose {@code
   * /app} is {@code agentDir}).
   */
  static LaunchSpec adapt(LaunchSpec hostRooted, PulledImage image, Path agentDir) {
    return adapt(hostRooted, image, agentDir, true);
  }

  /**
   * As {@link #adapt(LaunchSpec, PulledImage, Path)}; with {@code hostJvm} false (a cluster
   * planner's spec, whose agent runs from the pod's own agent copy) the command is kept as it is.
   */
  static LaunchSpec adapt(
      LaunchSpec hostRooted, PulledImage image, Path agentDir, boolean hostJvm) {
    List<String> command = new ArrayList<>();
    if (hostJvm) {
      command.addAll(ImageMounts.javaCommand());
      List<String> rest = hostRooted.command().subList(1, hostRooted.command().size());
      for (String arg : rest) {
        if (arg.startsWith("-XX:AOTCache=")) {
          continue;
        }
        command.add(arg.replace("/app/", ImageMounts.APP + "/"));
      }
    } else {
      command.addAll(hostRooted.command());
    }
    Map<String, String> env = new LinkedHashMap<>(image.config().envMap());
    hostRooted.env().forEach((k, v) -> env.put(k, k.equals("PATH") ? env.getOrDefault(k, v) : v));
    LaunchSpec.Builder b =
        LaunchSpec.builder(hostRooted.id(), hostRooted.workloadId(), hostRooted.version())
            .appDir(agentDir)
            .command(command)
            .workingDir("/work")
            .env(env)
            .limits(hostRooted.limits())
            .restart(hostRooted.restart())
            .image(
                new ImageRoot(
                    image.ref().toString(),
                    image.manifestDigest(),
                    Optional.of(image.rootfs()),
                    image.config().user()));
    hostRooted.ports().forEach(b::port);
    for (FileToWrite f : hostRooted.files()) {
      b.file(
          f.path().equals(InstancePlanner.CONFIG_FILE)
              ? FileToWrite.text(f.path(), agentConfig(f, image))
              : f);
    }
    hostRooted.workload().ifPresent(b::workload);
    return b.build();
  }

  /**
   * The agent config with the program's working directory set to the image's and the image's
   * documents, which the agent verifies against the spec's pinned digest before using them.
   */
  private static String agentConfig(FileToWrite file, PulledImage image) {
    try {
      ObjectNode c =
          (ObjectNode) Json.strict().readTree(new String(file.content(), StandardCharsets.UTF_8));
      ((ObjectNode) c.path("paths")).put("workDir", image.config().workingDir());
      java.util.Base64.Encoder b64 = java.util.Base64.getEncoder();
      ObjectNode docs = c.putObject("image");
      image.documents().index().ifPresent(i -> docs.put("index", b64.encodeToString(i)));
      docs.put("manifest", b64.encodeToString(image.documents().manifest()));
      docs.put("config", b64.encodeToString(image.documents().config()));
      return c.toString();
    } catch (IOException | ClassCastException e) {
      throw new WorkerException("cannot adapt the agent config to an image: " + e.getMessage(), e);
    }
  }
}
