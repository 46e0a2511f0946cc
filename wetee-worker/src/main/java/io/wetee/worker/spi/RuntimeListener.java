package io.wetee.worker.spi;

/**
 * Receives every change of an instance's state: launched, adopted after a worker restart, exited,
 * restarted, stopped. Called on one runtime-owned thread, in the order the changes happened;
 * implementations must return quickly and must not call back into the runtime synchronously in a
 * way that waits for another event.
 */
@FunctionalInterface
public interface RuntimeListener {
  void onStatus(InstanceStatus status);
}
