package io.wetee.worker.spi;

/**
 * Why an instance's program is no longer running. The {@link #code()} strings are stable: the
 * reconciler, logs and tests match on them.
 */
public enum ExitReason {
  /** The program exited with status 0. */
  COMPLETED("completed"),
  /** The program exited with a non-zero status or was killed by a signal nobody here sent. */
  FAILED("failed"),
  /** The kernel killed the program because the instance reached its memory limit. */
  OOM_KILLED("oom-killed"),
  /** {@link WorkloadRuntime#stop} ended it. */
  STOPPED("stopped"),
  /** The sandbox could not be set up (the program never ran); the detail is in the stderr log. */
  LAUNCH_FAILED("launch-failed"),
  /** The process is gone and left no exit status (host reboot, supervisor killed). */
  LOST("lost");

  private final String code;

  ExitReason(String code) {
    this.code = code;
  }

  /** Stable kebab-case code. */
  public String code() {
    return code;
  }
}
