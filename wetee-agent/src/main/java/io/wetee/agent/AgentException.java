package io.wetee.agent;

/**
 * The agent module's unchecked fault: invalid configuration, a broken platform, an I/O failure
 * outside the expected ones. Expected failures (a refused release, a crashed program) are values,
 * never this exception.
 */
public final class AgentException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public AgentException(String message) {
    super(message);
  }

  public AgentException(String message, Throwable cause) {
    super(message, cause);
  }
}
