package io.wetee.worker;

import io.wetee.worker.spi.InstanceStatus;
import io.wetee.worker.spi.RuntimeListener;
import io.wetee.worker.spi.Subscription;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Delivers status changes to listeners, in order, on one runtime-owned thread. */
final class Events implements AutoCloseable {
  /*
   * Design notes: changes are published under the instance's lock, so their order per instance
   * is the order of publish calls; one single-threaded executor keeps that order for listeners and
   * keeps slow listeners off the runtime's own threads. A failing listener is logged and skipped.
   */

  private static final Logger LOG = LoggerFactory.getLogger(Events.class);

  private final List<RuntimeListener> listeners = new CopyOnWriteArrayList<>();
  private final ExecutorService executor =
      Executors.newSingleThreadExecutor(Thread.ofVirtual().name("runtime-events").factory());
  private volatile boolean closed;

  Subscription subscribe(RuntimeListener listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  void publish(InstanceStatus status) {
    if (closed) {
      return;
    }
    executor.execute(
        () -> {
          for (RuntimeListener listener : listeners) {
            try {
              listener.onStatus(status);
            } catch (RuntimeException e) {
              LOG.warn("runtime listener failed on {}", status.id(), e);
            }
          }
        });
  }

  @Override
  public void close() {
    closed = true;
    executor.shutdown();
  }
}
