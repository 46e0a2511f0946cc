package io.wetee.worker.spi;

import java.time.Instant;

/** Whether an instance's program runs, and if not, how it ended. */
public sealed interface InstanceState {

  /**
   * The program runs.
   *
   * @param pid host process id of the instance's supervisor (for diagnostics only)
   * @param since when this run started
   * @param adopted whether this runtime found the run already going (started by an earlier worker)
   */
  record Running(long pid, Instant since, boolean adopted) implements InstanceState {}

  /**
   * The program ended and is not running now (a restart, if the policy asks for one, is pending).
   *
   * @param exitCode the program's exit status; 128 + n when killed by signal n; -1 when unknown
   * @param reason why it ended
   * @param at when the runtime observed the end
   */
  record Exited(int exitCode, ExitReason reason, Instant at) implements InstanceState {}
}
