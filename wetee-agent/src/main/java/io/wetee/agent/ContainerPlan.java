package io.wetee.agent;

import io.wetee.common.spec.SpecException;
import io.wetee.common.spec.WorkloadSpec;
import io.wetee.crypto.Bytes32;
import io.wetee.crypto.Keccak;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What the agent runs, derived from the spec alone (never from worker-chosen values, except the
 * health port): the container, its command, env, secrets, files, health check and task timeout.
 * Immutable.
 *
 * @param specHash keccak256 of the spec bytes as given (the SIMULATED measurement)
 * @param task whether the spec's kind is {@code task}
 */
record ContainerPlan(
    Bytes32 specHash, boolean task, WorkloadSpec.Container container, Optional<Duration> timeout) {

  /** Parses the spec text and picks the container; {@link SpecException} when it cannot. */
  static ContainerPlan of(String specText, String containerName) {
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
    if (c.command() == null || c.command().isEmpty()) {
      throw new SpecException("container " + c.name() + " has no command");
    }
    boolean task = "task".equals(spec.kind());
    Optional<Duration> timeout =
        Optional.ofNullable(spec.task())
            .map(WorkloadSpec.Task::timeoutSeconds)
            .map(Duration::ofSeconds);
    return new ContainerPlan(Keccak.hash(bytes), task, c, timeout);
  }

  /** The secrets this container needs, sorted and distinct. */
  List<String> secretNames() {
    TreeSet<String> names = new TreeSet<>(secretEnv().values());
    files().forEach(f -> names.add(f.secret()));
    return List.copyOf(names);
  }

  Map<String, String> env() {
    return container.env() == null ? Map.of() : container.env();
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
