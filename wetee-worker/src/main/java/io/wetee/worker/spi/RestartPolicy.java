package io.wetee.worker.spi;

/**
 * What the runtime does when an instance's program exits on its own (never after {@link
 * WorkloadRuntime#stop}). Restarts reuse the instance's work directory and ports and back off
 * exponentially from half a second to 30 seconds.
 *
 * @param mode when to restart
 * @param maxRestarts restarts allowed over the instance's life ({@code NEVER}: 0)
 */
public record RestartPolicy(Mode mode, int maxRestarts) {

  /** Services that must not restart, and every task: the exit is the result. */
  public static final RestartPolicy NEVER = new RestartPolicy(Mode.NEVER, 0);

  public enum Mode {
    NEVER,
    ON_FAILURE,
    ALWAYS
  }

  public RestartPolicy {
    if (mode == null || maxRestarts < 0 || (mode == Mode.NEVER && maxRestarts != 0)) {
      throw new IllegalArgumentException("invalid restart policy " + mode + "/" + maxRestarts);
    }
  }

  /** Restart after a non-zero exit (or a kill), at most {@code maxRestarts} times. */
  public static RestartPolicy onFailure(int maxRestarts) {
    return new RestartPolicy(Mode.ON_FAILURE, maxRestarts);
  }

  /** Restart after every exit, at most {@code maxRestarts} times. */
  public static RestartPolicy always(int maxRestarts) {
    return new RestartPolicy(Mode.ALWAYS, maxRestarts);
  }

  /**
   * Whether a program that exited with {@code exitCode} after {@code restarts} restarts runs again.
   */
  public boolean restarts(int exitCode, int restarts) {
    return switch (mode) {
      case NEVER -> false;
      case ON_FAILURE -> exitCode != 0 && restarts < maxRestarts;
      case ALWAYS -> restarts < maxRestarts;
    };
  }
}
