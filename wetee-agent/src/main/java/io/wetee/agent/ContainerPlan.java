package io.wetee.agent;

import io.wetee.common.spec.SpecException;
import io.wetee.common.spec.WorkloadSpec;
import io.wetee.crypto.Bytes32;
import io.wetee.crypto.Keccak;
import io.wetee.oci.ImageConfig;
import io.wetee.oci.ImageDocuments;
import io.wetee.oci.ImageRef;
import io.wetee.oci.OciException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What the agent runs, derived from the spec alone (never from worker-chosen values, except the
 * health port): the container, its command, env, secrets, files, health check and task timeout. For
 * an OCI image the image's entrypoint, cmd, env and working directory are defaults under the spec's
 * own values, taken from image documents the worker hands over only after they chain to the digest
 * the spec pins ({@link ImageDocuments#verify}). Immutable.
 *
 * @param specHash keccak256 of the spec bytes as given (the SIMULATED measurement)
 * @param task whether the spec's kind is {@code task}
 * @param command the program and its arguments: the spec's {@code command}, else the image's
 *     entrypoint followed by its cmd
 * @param env the program's plain environment: the image's {@code Env}, then the spec's {@code env}
 * @param workingDir the image's working directory, for an image; else the configured one
 */
record ContainerPlan(
    Bytes32 specHash,
    boolean task,
    WorkloadSpec.Container container,
    Optional<Duration> timeout,
    List<String> command,
    Map<String, String> env,
    Optional<Path> workingDir) {

  /** Parses the spec text and picks the container; {@link SpecException} when it cannot. */
  static ContainerPlan of(String specText, String containerName) {
    return of(specText, containerName, Optional.empty());
  }

  /**
   * As {@link #of(String, String)}, with the documents of the spec's OCI image when it names one.
   *
   * @throws SpecException when the container has no command and no verified image gives one, or the
   *     image documents do not chain to the spec's pinned digest
   */
  static ContainerPlan of(String specText, String containerName, Optional<ImageDocuments> image) {
    byte[] bytes = specText.getBytes(StandardCharsets.UTF_8);
    WorkloadSpec spec = WorkloadSpec.parseJson(bytes);
    WorkloadSpec.Container c;
    if (containerName == null) {
      if (spec.containers().size() != 1) {
        throw new SpecException("the spec has several containers: the config must name one");
      }
      c = spec.containers().get(0);
    } else {
      c =
          spec.containers().stream()
              .filter(x -> x.name().equals(containerName))
              .findFirst()
              .orElseThrow(() -> new SpecException("the spec has no container " + containerName));
    }
    Optional<ImageConfig> config = image.map(docs -> verified(c, docs));
    List<String> command =
        c.command() != null && !c.command().isEmpty()
            ? List.copyOf(c.command())
            : config.map(ImageConfig::command).orElse(List.of());
    if (command.isEmpty()) {
      throw new SpecException(
          "container "
              + c.name()
              + " has no command"
              + (config.isPresent() ? " and its image has no entrypoint or cmd" : ""));
    }
    Map<String, String> env = new LinkedHashMap<>();
    config.ifPresent(ic -> env.putAll(ic.envMap()));
    if (c.env() != null) {
      env.putAll(c.env());
    }
    boolean task = "task".equals(spec.kind());
    Optional<Duration> timeout =
        Optional.ofNullable(spec.task())
            .map(WorkloadSpec.Task::timeoutSeconds)
            .map(Duration::ofSeconds);
    return new ContainerPlan(
        Keccak.hash(bytes),
        task,
        c,
        timeout,
        command,
        Collections.unmodifiableMap(env),
        config.map(ic -> Path.of(ic.workingDir())));
  }

  private static ImageConfig verified(WorkloadSpec.Container c, ImageDocuments docs) {
    try {
      ImageRef ref = ImageRef.parse(c.image());
      String digest =
          ref.digest()
              .orElseThrow(() -> new SpecException("image " + c.image() + " is not pinned"));
      return docs.verify(digest);
    } catch (OciException e) {
      throw new SpecException("image documents of " + c.image() + ": " + e.getMessage());
    }
  }

  /** The secrets this container needs, sorted and distinct. */
  List<String> secretNames() {
    TreeSet<String> names = new TreeSet<>(secretEnv().values());
    files().forEach(f -> names.add(f.secret()));
    return List.copyOf(names);
  }

  Map<String, String> secretEnv() {
    return container.secretEnv() == null ? Map.of() : container.secretEnv();
  }

  List<WorkloadSpec.FileMount> files() {
    return container.files() == null ? List.of() : container.files();
  }

  /** The health check path and interval, when the spec has one. */
  Optional<WorkloadSpec.Health> health() {
    return Optional.ofNullable(container.health()).filter(h -> h.http() != null);
  }

  /** The port the health check calls: the configured one, else the container's first port. */
  Optional<Integer> healthPort(AgentConfig.Health configured) {
    if (configured.port() != null) {
      return Optional.of(configured.port());
    }
    return container.ports() == null || container.ports().isEmpty()
        ? Optional.empty()
        : Optional.ofNullable(container.ports().get(0).port());
  }
}
