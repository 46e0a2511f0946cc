package io.wetee.worker.spi;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs workload instances on some backend (the local bubblewrap sandbox first; Kubernetes later)
 * and reports their actual state. The reconciler owns desired state; the runtime only knows what it
 * was asked to run and what runs.
 *
 * <p><b>Identity and idempotency.</b> An instance is named by its {@link InstanceId}. {@link
 * #start} is idempotent: starting an id that exists with the same {@link LaunchSpec} launches
 * nothing and answers {@link StartResult.Existing}, whether the program runs or has ended; an id
 * keeps its identity until {@link #remove}. {@link #stop} and {@link #remove} are idempotent too.
 *
 * <p><b>Adoption.</b> Instances outlive the runtime object and the worker process: {@link #close}
 * leaves them running. A runtime opened later over the same state (after a worker crash or restart)
 * rediscovers every instance, checks that its process is still the one it launched (not a reused
 * process id), adopts the running ones, and reports the exit status of those that ended meanwhile.
 * It never launches a second copy of an instance it can rediscover.
 *
 * <p><b>Threading.</b> Every method is thread-safe and may block on host I/O (call it from a
 * virtual thread). Operations on one instance are serialised; different instances proceed in
 * parallel. Listener and log callbacks run on runtime-owned threads, never on the caller's.
 *
 * <p><b>Ownership.</b> The runtime owns each instance's sandbox, work directory, logs and host
 * ports from {@link #start} to {@link #remove}; the caller owns the program directory it passes in
 * {@link LaunchSpec#appDir()} and must keep it unchanged while an instance uses it.
 */
public interface WorkloadRuntime extends AutoCloseable {

  /** The backend's name, for example {@code local}. */
  String name();

  /** What this runtime enforces on this host. */
  Enforcement enforcement();

  /**
   * Launches the instance unless it exists. Expected refusals are values; host faults throw {@code
   * WorkerException}.
   */
  StartResult start(LaunchSpec spec);

  /**
   * Ends the instance's program: a polite signal, then a kill after {@code grace}. The instance
   * keeps its id, logs and status ({@link ExitReason#STOPPED}) until {@link #remove}. Answers empty
   * for an unknown id.
   */
  Optional<InstanceStatus> stop(InstanceId id, Duration grace);

  /**
   * Stops the instance (killing it at once if it still runs) and deletes its work directory, logs,
   * ports and state. Answers whether the id was known.
   */
  boolean remove(InstanceId id);

  /**
   * Tells the runtime that the instance's start-up is over (its agent attested, or failed): a
   * runtime that gave it a start-up allowance (the local runtime's CPU) withdraws it now. Unknown
   * ids are ignored.
   */
  default void started(InstanceId id) {}

  /** Every instance this runtime knows, running or ended, ordered by id. */
  List<InstanceStatus> list();

  Optional<InstanceStatus> status(InstanceId id);

  /** Registers a listener for every later state change. */
  Subscription subscribe(RuntimeListener listener);

  /** The last {@code maxBytes} of the stream's current log file; empty for an unknown id. */
  Optional<String> readLog(InstanceId id, LogStream stream, int maxBytes);

  /**
   * Delivers the stream's lines as they are written, starting at the current end of the log.
   * Answers empty for an unknown id.
   */
  Optional<Subscription> followLog(InstanceId id, LogStream stream, Consumer<String> lines);

  /** Stops watching instances and releases the state directory. Instances keep running. */
  @Override
  void close();
}
