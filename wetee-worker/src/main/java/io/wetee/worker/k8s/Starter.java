package io.wetee.worker.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.wetee.worker.spi.LaunchSpec;
import io.wetee.worker.spi.WorkloadMeta;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates an instance's objects unless they exist: a task run's Pod, or a service's Deployment
 * (created, or rolled from an older instance to this one), its Services and files. The caller holds
 * the workload's lock.
 */
final class Starter {
  private static final Logger LOG = LoggerFactory.getLogger(Starter.class);

  /** What a start did. */
  sealed interface Outcome {
    /** The objects were created (or the Deployment was rolled to this instance). */
    record Created() implements Outcome {}

    /** The instance exists with the same launch spec: nothing was done. */
    record Found() implements Outcome {}

    /** The instance exists with another launch spec, or a newer version runs. */
    record Conflict(String detail) implements Outcome {}
  }

  private final Cluster cluster;
  private final Manifests manifests;

  Starter(Cluster cluster, Manifests manifests) {
    this.cluster = cluster;
    this.manifests = manifests;
  }

  Outcome task(LaunchSpec spec, WorkloadMeta m, String ns) {
    Optional<Pod> existing = cluster.pod(ns, Names.pod(spec.id()));
    if (existing.isPresent()) {
      return same(spec, existing.get());
    }
    cluster.ensureFiles(manifests.files(spec, m, ns), spec.files().isEmpty());
    cluster.create(manifests.taskPod(spec, m, ns));
    return new Outcome.Created();
  }

  Outcome service(LaunchSpec spec, WorkloadMeta m, String ns) {
    String name = Names.deployment(spec.workloadId());
    Optional<Deployment> existing = cluster.deployment(ns, name);
    if (existing.isPresent()
        && InstanceView.annotation(existing.get(), Names.INSTANCE)
            .equals(Optional.of(spec.id().value()))) {
      return same(spec, existing.get());
    }
    long running =
        existing
            .flatMap(d -> InstanceView.annotation(d, Names.VERSION))
            .map(Long::parseLong)
            .orElse(-1L);
    if (running >= spec.version()) {
      return new Outcome.Conflict(
          "deployment "
              + name
              + " already runs version "
              + running
              + " (>= "
              + spec.version()
              + ")");
    }
    cluster.ensureFiles(manifests.files(spec, m, ns), spec.files().isEmpty());
    for (int port : spec.ports()) {
      cluster.ensureService(manifests.service(spec, m, ns, port));
    }
    Deployment wanted = manifests.deployment(spec, m, ns);
    if (existing.isEmpty()) {
      cluster.create(wanted);
    } else {
      LOG.info("rolling {}/{} from version {} to {}", ns, name, running, spec.version());
      cluster.rollTo(ns, name, wanted);
    }
    return new Outcome.Created();
  }

  private static Outcome same(LaunchSpec spec, HasMetadata o) {
    return InstanceView.annotation(o, Names.LAUNCH_HASH).equals(Optional.of(Names.launchHash(spec)))
        ? new Outcome.Found()
        : new Outcome.Conflict("instance " + spec.id() + " exists with another launch spec");
  }
}
