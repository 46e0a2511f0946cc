package io.wetee.worker;

import io.wetee.worker.spi.InstanceState;
import io.wetee.worker.spi.InstanceStatus;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/** The runtime's mutable view of one instance. Every field is guarded by {@link #lock}. */
final class Instance {
  /*
   * Design notes: a "generation" counts the runs of an instance. Exit notifications, restart timers
   * and stop() all name the generation they were created for; one that does not match the current
   * generation (a newer run exists) or arrives after the exit was handled is ignored. That makes
   * exit handling idempotent however many paths observe the same exit.
   */

  final ReentrantLock lock = new ReentrantLock();
  InstanceRecord record;
  InstanceState state;
  Optional<ProcessHandle> process = Optional.empty();
  Cgroups.InstanceCgroup cgroup;
  long generation;
  boolean exitHandled;
  boolean removed;

  Instance(InstanceRecord record, InstanceState state, Cgroups.InstanceCgroup cgroup) {
    this.record = record;
    this.state = state;
    this.cgroup = cgroup;
  }

  InstanceStatus status() {
    return new InstanceStatus(
        record.instanceId(),
        record.spec().workloadId(),
        record.spec().version(),
        state,
        record.hostPorts(),
        record.restarts(),
        InstanceStatus.LOOPBACK);
  }

  /** Runs {@code action} under the lock. */
  <T> T locked(java.util.function.Supplier<T> action) {
    lock.lock();
    try {
      return action.get();
    } finally {
      lock.unlock();
    }
  }
}
