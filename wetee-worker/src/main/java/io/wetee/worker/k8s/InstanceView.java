package io.wetee.worker.k8s;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.wetee.worker.spi.ExitReason;
import io.wetee.worker.spi.InstanceId;
import io.wetee.worker.spi.InstanceState;
import io.wetee.worker.spi.InstanceStatus;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An instance's status from the objects that run it, computed fresh from the cluster each time.
 *
 * <p>A task run is its Pod: running while the Pod is pending or running; then the main container's
 * termination (exit code; {@code OOMKilled} as {@link ExitReason#OOM_KILLED}); {@code STOPPED} once
 * the runtime annotated it stopped. A service instance is running while its Deployment's current
 * instance is this one (until stopped, which scales it to zero), and, after an update moved the
 * Deployment to a newer instance, while Pods of this instance are still there (the rollout removes
 * them once the new Pod is ready); after that it is {@code STOPPED} with an unknown exit code.
 */
final class InstanceView {
  private InstanceView() {}

  /** What the runtime remembers about an instance it found or started. */
  record Known(InstanceId id, String namespace, String workloadId, long version, boolean task) {}

  /**
   * The instance an object of the runtime belongs to: a Deployment names its current instance in
   * its annotations, a Pod in its labels.
   */
  static Optional<Known> known(HasMetadata o, boolean task) {
    boolean pod = o instanceof Pod;
    Optional<String> id = pod ? label(o, Names.INSTANCE) : annotation(o, Names.INSTANCE);
    Optional<String> workload = label(o, Names.WORKLOAD);
    Optional<String> version = pod ? label(o, Names.VERSION) : annotation(o, Names.VERSION);
    if (id.isEmpty() || workload.isEmpty() || version.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new Known(
              InstanceId.of(id.get()),
              o.getMetadata().getNamespace(),
              workload.get(),
              Long.parseLong(version.get()),
              task));
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // not an object this runtime made (a hand-edited label)
    }
  }

  static InstanceStatus task(Known k, Pod pod, boolean adopted, Instant now) {
    Optional<ContainerStatus> main = mainStatus(pod);
    int restarts = main.map(c -> c.getRestartCount() == null ? 0 : c.getRestartCount()).orElse(0);
    Optional<ContainerStateTerminated> term =
        main.map(c -> c.getState() == null ? null : c.getState().getTerminated());
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    InstanceState state;
    if (annotation(pod, Names.STOPPED).isPresent()) {
      state = new InstanceState.Exited(term.map(t -> code(t)).orElse(-1), ExitReason.STOPPED, now);
    } else if ("Succeeded".equals(phase) || "Failed".equals(phase) || term.isPresent()) {
      state =
          term.map(t -> exited(t, now)).orElse(new InstanceState.Exited(-1, ExitReason.LOST, now));
    } else {
      state = new InstanceState.Running(0, created(pod, now), adopted);
    }
    return new InstanceStatus(
        k.id(), k.workloadId(), k.version(), state, ports(pod), restarts, podIp(pod));
  }

  static InstanceStatus service(
      Known k, Deployment d, List<Pod> podsOfInstance, boolean adopted, Instant now) {
    boolean current = annotation(d, Names.INSTANCE).equals(Optional.of(k.id().value()));
    int restarts = podsOfInstance.stream().mapToInt(InstanceView::restarts).max().orElse(0);
    Map<Integer, Integer> ports =
        podsOfInstance.isEmpty() ? portsOfTemplate(d) : ports(podsOfInstance.get(0));
    InstanceState state;
    if (current && annotation(d, Names.STOPPED).isEmpty()) {
      state = new InstanceState.Running(0, created(d, now), adopted);
    } else if (!current
        && podsOfInstance.stream().anyMatch(p -> p.getMetadata().getDeletionTimestamp() == null)) {
      state = new InstanceState.Running(0, created(podsOfInstance.get(0), now), adopted);
    } else {
      state = new InstanceState.Exited(-1, ExitReason.STOPPED, now);
    }
    String host =
        podsOfInstance.stream()
            .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
            .map(InstanceView::podIp)
            .filter(ip -> !ip.isEmpty())
            .findFirst()
            .orElse("");
    return new InstanceStatus(k.id(), k.workloadId(), k.version(), state, ports, restarts, host);
  }

  /**
   * The pod's IP ({@code status.podIP}), where the worker reaches the agent and the program; empty
   * while the pod has none (not scheduled, or its sandbox not up yet).
   */
  static String podIp(Pod pod) {
    String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
    return ip == null ? "" : ip;
  }

  /** A key that changes when the status changes in a way a listener cares about. */
  static String key(InstanceStatus s) {
    return switch (s.state()) {
      case InstanceState.Running r -> "running/" + s.restarts() + "/" + s.host();
      case InstanceState.Exited e -> "exited/" + e.exitCode() + "/" + e.reason();
    };
  }

  static Optional<String> annotation(HasMetadata o, String name) {
    Map<String, String> a = o.getMetadata().getAnnotations();
    return a == null ? Optional.empty() : Optional.ofNullable(a.get(name));
  }

  static Optional<String> label(HasMetadata o, String name) {
    Map<String, String> a = o.getMetadata().getLabels();
    return a == null ? Optional.empty() : Optional.ofNullable(a.get(name));
  }

  private static InstanceState.Exited exited(ContainerStateTerminated t, Instant now) {
    int code = code(t);
    ExitReason reason =
        "OOMKilled".equals(t.getReason())
            ? ExitReason.OOM_KILLED
            : code == 0 ? ExitReason.COMPLETED : ExitReason.FAILED;
    return new InstanceState.Exited(code, reason, now);
  }

  private static int code(ContainerStateTerminated t) {
    return t.getExitCode() == null ? -1 : t.getExitCode();
  }

  private static Optional<ContainerStatus> mainStatus(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getContainerStatuses().stream()
        .filter(c -> Names.MAIN.equals(c.getName()))
        .findFirst();
  }

  private static int restarts(Pod pod) {
    return mainStatus(pod)
        .map(c -> c.getRestartCount() == null ? 0 : c.getRestartCount())
        .orElse(0);
  }

  /** Program port to the port that reaches it: in a pod, the same number. */
  private static Map<Integer, Integer> ports(Pod pod) {
    Map<Integer, Integer> m = new TreeMap<>();
    pod.getSpec().getContainers().stream()
        .filter(c -> Names.MAIN.equals(c.getName()))
        .flatMap(
            c -> c.getPorts() == null ? java.util.stream.Stream.empty() : c.getPorts().stream())
        .forEach(p -> m.put(p.getContainerPort(), p.getContainerPort()));
    return m;
  }

  private static Map<Integer, Integer> portsOfTemplate(Deployment d) {
    Pod p = new Pod();
    p.setSpec(d.getSpec().getTemplate().getSpec());
    return ports(p);
  }

  private static Instant created(HasMetadata o, Instant fallback) {
    String t = o.getMetadata().getCreationTimestamp();
    if (t == null) {
      return fallback;
    }
    try {
      return Instant.parse(t);
    } catch (DateTimeParseException e) {
      return fallback;
    }
  }
}
