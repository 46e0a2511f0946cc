package io.wetee.worker.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.wetee.worker.WorkerException;
import io.wetee.worker.spi.Enforcement;
import io.wetee.worker.spi.Enforcement.Mechanism;
import io.wetee.worker.spi.InstanceId;
import io.wetee.worker.spi.InstanceState;
import io.wetee.worker.spi.InstanceStatus;
import io.wetee.worker.spi.LaunchSpec;
import io.wetee.worker.spi.LogStream;
import io.wetee.worker.spi.RuntimeListener;
import io.wetee.worker.spi.StartRefusal;
import io.wetee.worker.spi.StartResult;
import io.wetee.worker.spi.Subscription;
import io.wetee.worker.spi.WorkloadMeta;
import io.wetee.worker.spi.WorkloadRuntime;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kubernetes runtime (issue #6): runs instances as Pods in a cluster through the fabric8
 * client. A service is one Deployment per workload, updated in place by a rolling update; a task
 * run is one Pod with {@code restartPolicy: Never}. The cluster is the runtime's state: a runtime
 * opened over a cluster that already holds its objects (a restarted worker) adopts them by label,
 * and an object deleted behind its back is reported gone, so the next start recreates it.
 *
 * <p>How the instance SPI maps onto one Deployment per workload (ADR in docs/decisions.md):
 * starting {@code v+1} while the Deployment runs {@code v} patches its pod template (and its
 * annotations); Kubernetes rolls the new Pod in (maxSurge 1, maxUnavailable 0, readiness probe on
 * the health path), and the old instance reports {@code Running} while its Pods exist, then {@code
 * STOPPED}. Stopping or removing the old instance touches only its own ConfigMap, never the
 * Deployment that now runs the new one. Stopping the current instance scales the Deployment to
 * zero; removing it deletes the Deployment and the workload's Services.
 *
 * <p>Threading: operations on instances of one workload are serialised by a per-workload lock;
 * informer callbacks are turned into listener calls on the {@link Feed}'s single thread.
 */
public final class KubernetesRuntime implements WorkloadRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesRuntime.class);

  private final KubernetesClient client;
  private final boolean ownsClient;
  private final KubernetesRuntimeConfig config;
  private final Manifests manifests;
  private final Cluster objects;
  private final Logs logs;
  private final Starter starter;
  private final Map<InstanceId, InstanceView.Known> known = new ConcurrentHashMap<>();
  private final Set<InstanceId> startedHere = ConcurrentHashMap.newKeySet();
  private final Map<InstanceId, Instant> exitedAt = new ConcurrentHashMap<>();
  private final Map<String, Object> locks = new ConcurrentHashMap<>();
  private final Feed feed;

  private KubernetesRuntime(
      KubernetesClient client, boolean ownsClient, KubernetesRuntimeConfig config) {
    this.client = client;
    this.ownsClient = ownsClient;
    this.config = config;
    this.manifests = new Manifests(config);
    this.objects = new Cluster(client);
    this.logs = new Logs(objects);
    this.starter = new Starter(objects, manifests);
    adopt();
    this.feed = new Feed(client, this::statusForFeed, this::isKnown);
  }

  /**
   * Connects to the cluster named by the config's kubeconfig (or fabric8's usual discovery) and
   * adopts the objects a previous worker left there.
   *
   * @throws WorkerException when the kubeconfig cannot be read or the cluster does not answer
   */
  public static KubernetesRuntime open(KubernetesRuntimeConfig config) {
    Config k8s;
    if (config.kubeconfig().isPresent()) {
      if (!Files.isReadable(config.kubeconfig().get())) {
        throw new WorkerException("cannot read the kubeconfig " + config.kubeconfig().get());
      }
      k8s =
          Config.fromKubeconfig(config.context().orElse(null), config.kubeconfig().get().toFile());
    } else {
      k8s = Config.autoConfigure(config.context().orElse(null));
    }
    KubernetesClient c = new KubernetesClientBuilder().withConfig(k8s).build();
    try {
      return new KubernetesRuntime(c, true, config);
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /** Opens the runtime over a client the caller owns (and closes). */
  public static KubernetesRuntime open(KubernetesRuntimeConfig config, KubernetesClient client) {
    return new KubernetesRuntime(client, false, config);
  }

  private void adopt() {
    try {
      for (Deployment d : objects.deployments()) {
        remember(d, false).ifPresent(id -> LOG.info("adopted service instance {}", id));
      }
      for (Pod p : objects.pods()) {
        remember(p, InstanceView.label(p, Names.KIND).equals(Optional.of("task")))
            .ifPresent(id -> LOG.debug("adopted pod of instance {}", id));
      }
    } catch (KubernetesClientException e) {
      throw new WorkerException("cannot list the worker's objects: " + e.getMessage(), e);
    }
  }

  private Optional<InstanceId> remember(HasMetadata o, boolean task) {
    Optional<InstanceView.Known> k = InstanceView.known(o, task);
    k.ifPresent(x -> known.putIfAbsent(x.id(), x));
    return k.map(InstanceView.Known::id);
  }

  @Override
  public String name() {
    return "kubernetes";
  }

  @Override
  public Enforcement enforcement() {
    return new Enforcement(
        Mechanism.CLUSTER,
        Mechanism.CLUSTER,
        Mechanism.NONE,
        Mechanism.NONE,
        Mechanism.CLUSTER,
        false,
        "requests = limits on each pod, enforced by the kubelet (and by the VM size under a Kata"
            + " runtime class); one pod sandbox per instance; processes and open files are the"
            + " node's defaults");
  }

  @Override
  public StartResult start(LaunchSpec spec) {
    WorkloadMeta m =
        spec.workload()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "the kubernetes runtime needs LaunchSpec.workload (owner, kind, TEE type)"));
    if (spec.image().isEmpty()) {
      return new StartResult.Refused(
          StartRefusal.IMAGE_UNAVAILABLE,
          "the kubernetes runtime runs OCI images only; this launch spec has a program directory");
    }
    String ns = Names.namespace(config.namespacePrefix(), m.owner());
    synchronized (lock(spec.workloadId())) {
      try {
        objects.ensureNamespace(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(ns)
                .withLabels(Map.of(Names.MANAGED_BY, Names.WORKER))
                .endMetadata()
                .build());
        InstanceView.Known k =
            new InstanceView.Known(
                spec.id(),
                ns,
                spec.workloadId(),
                spec.version(),
                m.kind() == WorkloadMeta.Kind.TASK);
        Starter.Outcome o = k.task() ? starter.task(spec, m, ns) : starter.service(spec, m, ns);
        return switch (o) {
          case Starter.Outcome.Created c -> started(k);
          case Starter.Outcome.Found f -> {
            known.putIfAbsent(k.id(), k);
            feed.touch(k.id());
            yield new StartResult.Existing(status(k.id()).orElseThrow());
          }
          case Starter.Outcome.Conflict c ->
              new StartResult.Refused(StartRefusal.SPEC_CONFLICT, c.detail());
        };
      } catch (KubernetesClientException e) {
        throw new WorkerException("cannot start " + spec.id() + ": " + e.getMessage(), e);
      }
    }
  }

  private StartResult started(InstanceView.Known k) {
    known.put(k.id(), k);
    startedHere.add(k.id());
    exitedAt.remove(k.id());
    // The informer may have seen the new objects before they were known here (and dropped the
    // events): deliver the current status now; the feed skips it if it was delivered already.
    feed.touch(k.id());
    return new StartResult.Started(status(k.id()).orElseThrow());
  }

  @Override
  public Optional<InstanceStatus> stop(InstanceId id, Duration grace) {
    InstanceView.Known k = known.get(id);
    if (k == null) {
      return Optional.empty();
    }
    synchronized (lock(k.workloadId())) {
      try {
        if (k.task()) {
          objects.stopPod(k.namespace(), Names.pod(id));
        } else {
          objects.stopDeployment(k.namespace(), Names.deployment(k.workloadId()), id.value());
        }
      } catch (KubernetesClientException e) {
        throw new WorkerException("cannot stop " + id + ": " + e.getMessage(), e);
      }
    }
    return status(id);
  }

  @Override
  public boolean remove(InstanceId id) {
    InstanceView.Known k = known.get(id);
    if (k == null) {
      return false;
    }
    synchronized (lock(k.workloadId())) {
      // Forgotten first, so the deletion's watch event is not reported as a loss.
      known.remove(id);
      try {
        if (k.task()) {
          objects.deletePod(k.namespace(), Names.pod(id));
        } else {
          objects.removeServiceInstance(k.namespace(), k.workloadId(), id.value());
        }
        objects.deleteFiles(k.namespace(), Names.files(id));
      } catch (KubernetesClientException e) {
        known.putIfAbsent(id, k);
        throw new WorkerException("cannot remove " + id + ": " + e.getMessage(), e);
      }
      startedHere.remove(id);
      exitedAt.remove(id);
    }
    return true;
  }

  @Override
  public List<InstanceStatus> list() {
    return known.keySet().stream()
        .sorted()
        .map(this::status)
        .flatMap(Optional::stream)
        .sorted(Comparator.comparing(InstanceStatus::id))
        .toList();
  }

  @Override
  public Optional<InstanceStatus> status(InstanceId id) {
    InstanceView.Known k = known.get(id);
    if (k == null) {
      return Optional.empty();
    }
    try {
      return read(k, !startedHere.contains(id), Instant.now()).map(this::stableExitTime);
    } catch (KubernetesClientException e) {
      throw new WorkerException("cannot read the status of " + id + ": " + e.getMessage(), e);
    }
  }

  private Optional<InstanceStatus> read(InstanceView.Known k, boolean adopted, Instant now) {
    InstanceId id = k.id();
    Optional<InstanceStatus> s;
    if (k.task()) {
      s = objects.pod(k.namespace(), Names.pod(id)).map(p -> InstanceView.task(k, p, adopted, now));
    } else {
      s =
          objects
              .deployment(k.namespace(), Names.deployment(k.workloadId()))
              .map(
                  d ->
                      InstanceView.service(
                          k, d, objects.podsOf(k.namespace(), id.value()), adopted, now));
    }
    return s;
  }

  /** The first time an exit was observed stays its time, so repeated reads agree. */
  private InstanceStatus stableExitTime(InstanceStatus s) {
    if (!(s.state() instanceof InstanceState.Exited e)) {
      exitedAt.remove(s.id());
      return s;
    }
    Instant at = exitedAt.computeIfAbsent(s.id(), x -> e.at());
    return new InstanceStatus(
        s.id(),
        s.workloadId(),
        s.version(),
        new InstanceState.Exited(e.exitCode(), e.reason(), at),
        s.ports(),
        s.restarts(),
        s.host());
  }

  private Optional<InstanceStatus> statusForFeed(InstanceId id) {
    try {
      return status(id);
    } catch (RuntimeException e) { // a cluster fault, or the client closed under a late event
      LOG.warn("cannot read the status of {}: {}", id, e.getMessage());
      return Optional.empty();
    }
  }

  private boolean isKnown(InstanceId id) {
    return known.containsKey(id);
  }

  @Override
  public Subscription subscribe(RuntimeListener listener) {
    return feed.subscribe(listener);
  }

  @Override
  public Optional<String> readLog(InstanceId id, LogStream stream, int maxBytes) {
    return Optional.ofNullable(known.get(id)).map(k -> logs.read(k, stream, maxBytes));
  }

  @Override
  public Optional<Subscription> followLog(InstanceId id, LogStream stream, Consumer<String> lines) {
    return Optional.ofNullable(known.get(id)).map(k -> logs.follow(k, stream, lines));
  }

  private Object lock(String workloadId) {
    return locks.computeIfAbsent(workloadId, w -> new Object());
  }

  @Override
  public void close() {
    feed.close();
    if (ownsClient) {
      client.close();
    }
  }
}
