package io.wetee.worker.proxy;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The old backend after a switch: it receives no new request; {@code drained} completes once its
 * last in-flight request has finished (at once when it had none, or when there was no old backend).
 * Stop the old instance after that.
 *
 * @param previous the backend that was replaced, if any
 * @param drained completes when {@code previous} has no request in flight
 */
public record Drain(Optional<Backend> previous, CompletableFuture<Void> drained) {

  /** Waits up to {@code timeout}; answers whether the old backend drained in time. */
  public boolean await(Duration timeout) {
    try {
      drained.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException e) {
      return false;
    }
  }
}
