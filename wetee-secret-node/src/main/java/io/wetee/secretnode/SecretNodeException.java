package io.wetee.secretnode;

/** A fault of the secret node (unreadable store, bad configuration, chain unreachable at start). */
public class SecretNodeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SecretNodeException(String message) {
    super(message);
  }

  public SecretNodeException(String message, Throwable cause) {
    super(message, cause);
  }
}
