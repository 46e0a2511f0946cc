package io.wetee.cli;

/**
 * Invalid input found before any transaction or remote call; exits with {@link ExitCodes#USAGE}.
 */
public final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }
}
