package io.wetee.worker.k8s;

import io.wetee.worker.WorkerException;
import io.wetee.worker.spi.LogStream;
import io.wetee.worker.spi.Subscription;
import java.util.function.Consumer;

/**
 * An instance's log from the cluster: a task run's Pod, or a current Pod of a service instance.
 * Kubernetes keeps one log per container with stdout and stderr interleaved; it is served as {@link
 * LogStream#STDOUT}, and {@link LogStream#STDERR} is always empty.
 */
final class Logs {
  private final Cluster cluster;

  Logs(Cluster cluster) {
    this.cluster = cluster;
  }

  String read(InstanceView.Known k, LogStream stream, int maxBytes) {
    return stream == LogStream.STDERR ? "" : cluster.log(k.namespace(), pod(k), maxBytes);
  }

  Subscription follow(InstanceView.Known k, LogStream stream, Consumer<String> lines) {
    if (stream == LogStream.STDERR) {
      return () -> {};
    }
    return cluster.followLog(k.namespace(), pod(k), lines);
  }

  private String pod(InstanceView.Known k) {
    if (k.task()) {
      return Names.pod(k.id());
    }
    return cluster.podsOf(k.namespace(), k.id().value()).stream()
        .map(p -> p.getMetadata().getName())
        .findFirst()
        .orElseThrow(() -> new WorkerException("instance " + k.id() + " has no pod now"));
  }
}
