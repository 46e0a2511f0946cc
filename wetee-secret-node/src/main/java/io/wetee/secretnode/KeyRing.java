package io.wetee.secretnode;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The epoch key a node serves releases with. Written by the DKG driver (or a test), read by the
 * release path on every request. Thread-safe.
 */
final class KeyRing {
  private final AtomicReference<EpochKey> current = new AtomicReference<>();

  Optional<EpochKey> current() {
    return Optional.ofNullable(current.get());
  }

  /** Installs a newer epoch's key; older epochs never replace newer ones. */
  void install(EpochKey key) {
    current.accumulateAndGet(key, (old, nu) -> old == null || nu.epoch() >= old.epoch() ? nu : old);
  }
}
