package io.wetee.cli;

/** The CLI's exit codes (shared/CONVENTIONS.md): errors are mapped to these exactly once. */
public final class ExitCodes {
  /** Success. */
  public static final int OK = 0;

  /** The operation failed (a rejected evidence, a refused request). */
  public static final int FAILURE = 1;

  /** Invalid input, found before any transaction or remote call. */
  public static final int USAGE = 2;

  /** The chain, an RPC endpoint or another remote process failed. */
  public static final int REMOTE = 3;

  private ExitCodes() {}
}
