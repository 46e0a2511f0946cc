package io.wetee.worker.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.wetee.worker.spi.ExitReason;
import io.wetee.worker.spi.InstanceId;
import io.wetee.worker.spi.InstanceState;
import io.wetee.worker.spi.InstanceStatus;
import io.wetee.worker.spi.RuntimeListener;
import io.wetee.worker.spi.Subscription;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns watch events on the worker's Pods and Deployments into {@link RuntimeListener} calls.
 *
 * <p>Design notes: two informers (Pods and Deployments labelled {@code managed-by=wetee-worker},
 * all namespaces) only say which instance may have changed; the status itself is read fresh from
 * the cluster on one single-threaded executor, so listeners see changes of an instance in order and
 * never from an informer thread. A status is delivered when it differs from the last one delivered
 * (running and restarts, or the exit code and reason). An object of a known instance that
 * disappears behind the runtime's back is delivered once as {@link ExitReason#LOST} with exit code
 * -1: the reconciler, touched by it, starts the instance again.
 */
final class Feed implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Feed.class);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

  private final List<RuntimeListener> listeners = new CopyOnWriteArrayList<>();
  private final Map<InstanceId, String> delivered = new ConcurrentHashMap<>();
  private volatile Thread eventThread;
  private final ExecutorService executor =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = Thread.ofVirtual().name("k8s-runtime-events").unstarted(r);
            eventThread = t;
            return t;
          });
  private final Function<InstanceId, Optional<InstanceStatus>> status;
  private final Predicate<InstanceId> known;
  private final Map<InstanceId, InstanceStatus> last = new ConcurrentHashMap<>();
  private final SharedIndexInformer<Pod> pods;
  private final SharedIndexInformer<Deployment> deployments;
  private volatile boolean closed;

  Feed(
      KubernetesClient client,
      Function<InstanceId, Optional<InstanceStatus>> status,
      Predicate<InstanceId> known) {
    this.status = status;
    this.known = known;
    this.pods =
        client
            .pods()
            .inAnyNamespace()
            .withLabel(Names.MANAGED_BY, Names.WORKER)
            .inform(new Handler<>(p -> InstanceView.label(p, Names.INSTANCE)), 0);
    this.deployments =
        client
            .apps()
            .deployments()
            .inAnyNamespace()
            .withLabel(Names.MANAGED_BY, Names.WORKER)
            .inform(new Handler<>(d -> InstanceView.annotation(d, Names.INSTANCE)), 0);
  }

  Subscription subscribe(RuntimeListener listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /**
   * Delivers the instance's current status if it changed since the last delivery: for an instance
   * the runtime has just learnt of, whose objects' informer events may have arrived (and been
   * dropped as unknown) before it was registered.
   */
  void touch(InstanceId id) {
    changed(id);
  }

  private void changed(InstanceId id) {
    if (closed) {
      return;
    }
    try {
      executor.execute(() -> deliver(id));
    } catch (RejectedExecutionException e) {
      // close() ran between the check above and execute (an informer event or a start() racing
      // the close): the executor is shut down only after closed is set, so this is that case.
      if (!closed) {
        throw e;
      }
    }
  }

  private void deliver(InstanceId id) {
    if (closed) {
      return; // the client may be closed already
    }
    if (!known.test(id)) {
      delivered.remove(id);
      last.remove(id);
      return;
    }
    Optional<InstanceStatus> now = status.apply(id);
    InstanceStatus s;
    if (now.isPresent()) {
      s = now.get();
    } else if (last.containsKey(id)) {
      InstanceStatus before = last.get(id);
      s =
          new InstanceStatus(
              id,
              before.workloadId(),
              before.version(),
              new InstanceState.Exited(-1, ExitReason.LOST, Instant.now()),
              before.ports(),
              before.restarts(),
              before.host());
    } else {
      return;
    }
    String key = InstanceView.key(s);
    if (key.equals(delivered.put(id, key))) {
      return;
    }
    if (now.isPresent()) {
      last.put(id, s);
    } else {
      last.remove(id);
    }
    for (RuntimeListener l : listeners) {
      try {
        l.onStatus(s);
      } catch (RuntimeException e) {
        LOG.warn("runtime listener failed on {}", id, e);
      }
    }
  }

  /**
   * Stops the informers and the event thread. When it returns (unless called from a listener, or
   * the delivery in progress takes longer than 5 s) no listener is called and no status is read any
   * more, so the caller may close the client next. Events and {@link #touch} calls that race the
   * close are dropped.
   */
  @Override
  public void close() {
    closed = true;
    pods.close();
    deployments.close();
    executor.shutdown();
    if (Thread.currentThread() == eventThread) {
      return; // a listener closing the runtime: its own delivery is the one still running
    }
    try {
      if (!executor.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("the runtime's event thread is still delivering a status after {}", CLOSE_WAIT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Maps every event on an object to the instance it belongs to. */
  private final class Handler<T extends HasMetadata> implements ResourceEventHandler<T> {
    private final Function<T, Optional<String>> instance;

    Handler(Function<T, Optional<String>> instance) {
      this.instance = instance;
    }

    @Override
    public void onAdd(T obj) {
      instance.apply(obj).map(InstanceId::of).ifPresent(Feed.this::changed);
    }

    @Override
    public void onUpdate(T before, T after) {
      instance.apply(before).map(InstanceId::of).ifPresent(Feed.this::changed);
      instance.apply(after).map(InstanceId::of).ifPresent(Feed.this::changed);
    }

    @Override
    public void onDelete(T obj, boolean finalStateUnknown) {
      instance.apply(obj).map(InstanceId::of).ifPresent(Feed.this::changed);
    }
  }
}
