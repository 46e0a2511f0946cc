package io.wetee.worker;

/**
 * A fault of the worker runtime: a missing system package, an unwritable state directory, an I/O
 * error on the host. Expected outcomes (a refused start, a bundle with a wrong digest, an unhealthy
 * backend) are values, never this exception.
 */
public class WorkerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public WorkerException(String message) {
    super(message);
  }

  public WorkerException(String message, Throwable cause) {
    super(message, cause);
  }
}
