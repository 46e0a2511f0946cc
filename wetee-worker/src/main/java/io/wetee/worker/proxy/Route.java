package io.wetee.worker.proxy;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** The current backend of one public endpoint, switchable atomically, with in-flight counts. */
final class Route {
  /*
   * Design notes: each backend gets a Slot with an in-flight counter. A request increments the
   * counter of the current slot and then re-reads the current slot: if a switch happened in
   * between, it releases and retries, so every request that goes on to use a slot was counted
   * before that slot stopped being current. A switch swaps the reference (the atomic moment after
   * which no new request reaches the old backend), then retires the old slot: it is drained when
   * its counter reaches zero. retire() sets the flag before reading the counter and release()
   * decrements before reading the flag, so whichever runs last completes the drain.
   */

  static final class Slot {
    final Backend backend;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private volatile boolean retired;

    Slot(Backend backend) {
      this.backend = backend;
    }

    void release() {
      if (inFlight.decrementAndGet() == 0 && retired) {
        drained.complete(null);
      }
    }

    private CompletableFuture<Void> retire() {
      retired = true;
      if (inFlight.get() == 0) {
        drained.complete(null);
      }
      return drained;
    }

    int inFlight() {
      return inFlight.get();
    }
  }

  private final AtomicReference<Slot> current = new AtomicReference<>();

  /** The current slot, counted as in use until {@link Slot#release()}; empty when none. */
  Optional<Slot> acquire() {
    while (true) {
      Slot slot = current.get();
      if (slot == null) {
        return Optional.empty();
      }
      slot.inFlight.incrementAndGet();
      if (current.get() == slot) {
        return Optional.of(slot);
      }
      slot.release();
    }
  }

  Optional<Backend> backend() {
    return Optional.ofNullable(current.get()).map(s -> s.backend);
  }

  /**
   * Makes {@code backend} current (or none when null) and answers the drain of the old one.
   * Switching to the backend that is already current changes nothing.
   */
  synchronized Drain switchTo(Backend backend) {
    Slot old = current.get();
    if (old != null && old.backend.equals(backend)) {
      return new Drain(Optional.empty(), CompletableFuture.completedFuture(null));
    }
    Slot next = backend == null ? null : new Slot(backend);
    current.set(next);
    if (old == null) {
      return new Drain(Optional.empty(), CompletableFuture.completedFuture(null));
    }
    return new Drain(Optional.of(old.backend), old.retire());
  }
}
