package io.wetee.worker.spi;

/** The outcome of {@link WorkloadRuntime#start}. */
public sealed interface StartResult {

  /** The instance was new; its program has been launched. */
  record Started(InstanceStatus status) implements StartResult {}

  /**
   * An instance with this id and the same launch spec already exists (running, or ended and not yet
   * removed); nothing new was launched.
   */
  record Existing(InstanceStatus status) implements StartResult {}

  /** Nothing was launched. */
  record Refused(StartRefusal reason, String detail) implements StartResult {}
}
