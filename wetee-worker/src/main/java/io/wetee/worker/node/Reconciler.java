package io.wetee.worker.node;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Schedules reconciliation: which workload is reconciled when, never how.
 *
 * <p>Design notes (level-triggered, after java-operator-sdk's event sources): a workload is
 * reconciled when something says it may have changed: an event of it ({@link #touch} from the chain
 * listener), a block timer it asked for ({@link #at}: the next settlement, the next task run, a
 * retry), or the worker's start. The reconcile function reads the desired state from the chain and
 * the actual state from the runtime each time, so a missed or repeated trigger is harmless. Per
 * workload at most one reconcile runs at a time (a virtual thread); a touch while it runs makes it
 * run once more afterwards. Per block the ticker only pops the timers that are due: the work per
 * block is proportional to what changed, not to the number of workloads.
 */
final class Reconciler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

  private static final class Cell {
    final AtomicBoolean running = new AtomicBoolean();
    final AtomicBoolean pending = new AtomicBoolean();
  }

  private final LongConsumer reconcile;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Map<Long, Cell> cells = new ConcurrentHashMap<>();
  private final TreeMap<Long, Set<Long>> timers = new TreeMap<>();
  private final Map<Long, WorkloadStatus> board = new ConcurrentHashMap<>();
  private final AtomicLong head = new AtomicLong();
  private final AtomicLong reconciles = new AtomicLong();
  private volatile boolean closed;

  Reconciler(LongConsumer reconcile) {
    this.reconcile = reconcile;
  }

  /** Reconciles the workload soon (again, if a reconcile of it is running). */
  void touch(long workloadId) {
    if (closed) {
      return;
    }
    Cell c = cells.computeIfAbsent(workloadId, k -> new Cell());
    c.pending.set(true);
    if (c.running.compareAndSet(false, true)) {
      executor.execute(() -> drain(workloadId, c));
    }
  }

  private void drain(long id, Cell c) {
    try {
      while (!closed && c.pending.getAndSet(false)) {
        reconciles.incrementAndGet();
        try {
          reconcile.accept(id);
        } catch (RuntimeException e) {
          LOG.warn("workload {}: reconcile failed: {}; retrying in 3 blocks", id, e.toString());
          at(head.get() + 3, id);
        }
      }
    } finally {
      c.running.set(false);
    }
    if (c.pending.get() && !closed && c.running.compareAndSet(false, true)) {
      executor.execute(() -> drain(id, c));
    }
  }

  /** Reconciles the workload once the chain reaches {@code block}. */
  void at(long block, long workloadId) {
    synchronized (timers) {
      timers.computeIfAbsent(block, k -> new HashSet<>()).add(workloadId);
    }
    if (block <= head.get()) {
      touch(workloadId);
    }
  }

  /** The chain reached {@code block}: touches the workloads whose timers are due. */
  void onHead(long block) {
    if (block <= head.get()) {
      return;
    }
    head.set(block);
    List<Long> due = new ArrayList<>();
    synchronized (timers) {
      var ready = timers.headMap(block, true);
      ready.values().forEach(due::addAll);
      ready.clear();
    }
    due.forEach(this::touch);
  }

  long head() {
    return head.get();
  }

  /** How many reconciles ran (for benches and tests). */
  long reconciles() {
    return reconciles.get();
  }

  int pendingTimers() {
    synchronized (timers) {
      return timers.values().stream().mapToInt(Set::size).sum();
    }
  }

  void report(WorkloadStatus s) {
    WorkloadStatus old = board.put(s.workloadId(), s);
    if (old == null || !old.state().equals(s.state()) || old.version() != s.version()) {
      if (s.reason() != null) {
        LOG.info(
            "workload {} v{}: {} ({}: {})",
            s.workloadId(),
            s.version(),
            s.state(),
            s.reason(),
            s.detail());
      } else {
        LOG.info("workload {} v{}: {}", s.workloadId(), s.version(), s.state());
      }
    }
  }

  Optional<WorkloadStatus> status(long workloadId) {
    return Optional.ofNullable(board.get(workloadId));
  }

  @Override
  public void close() {
    closed = true;
    executor.shutdownNow();
  }
}
