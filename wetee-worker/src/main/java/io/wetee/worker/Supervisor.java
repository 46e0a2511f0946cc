package io.wetee.worker;

import io.wetee.worker.InstanceStore.ExitFile;
import io.wetee.worker.spi.ExitReason;
import io.wetee.worker.spi.InstanceState;
import io.wetee.worker.spi.InstanceStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** Launches runs, notices their exits, restarts them by policy, and ends them on stop. */
final class Supervisor {
  /*
   * Design notes: a run launched by this runtime is a child process, so its exit arrives through
   * Process.onExit at once. An adopted run belongs to an earlier worker; its supervisor is nobody's
   * child here, so it is polled (every 250 ms) by (boot id, pid, start ticks), which also treats a
   * zombie as gone. Either way handleExit reads the exit file the supervisor wrote, the cgroup's OOM
   * counter and the desired state, and decides the reason. stop() signals only the program (the
   * children of the sandbox's pid 1) so that the supervisor still records its exit status; after the
   * grace period it kills the outer bwrap, and the kernel tears the pid namespace down with it.
   */

  private static final Duration ADOPTED_POLL = Duration.ofMillis(250);
  private static final Duration KILL_WAIT = Duration.ofSeconds(5);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final InstanceStore store;
  private final Launcher launcher;
  private final Consumer<InstanceStatus> emit;
  private final BooleanSupplier closed;
  private final String bootId;

  Supervisor(
      InstanceStore store,
      Launcher launcher,
      Consumer<InstanceStatus> emit,
      BooleanSupplier closed,
      String bootId) {
    this.store = store;
    this.launcher = launcher;
    this.emit = emit;
    this.closed = closed;
    this.bootId = bootId;
  }

  /** Starts a new run. The caller holds the instance's lock. */
  void launch(Instance inst) {
    Launcher.Launched run = launcher.launch(inst.record);
    long generation = ++inst.generation;
    inst.exitHandled = false;
    inst.cgroup = run.cgroup();
    inst.process = Optional.of(run.process());
    inst.record =
        inst.record.withRun(
            run.process().pid(), run.ticks(), bootId, run.startedAt().toEpochMilli());
    store.save(inst.record);
    inst.state = new InstanceState.Running(run.process().pid(), run.startedAt(), false);
    emit.accept(inst.status());
    ProcessHandle process = run.process();
    Thread.ofVirtual()
        .name("run-" + inst.record.id())
        .start(
            () -> {
              process.onExit().join();
              handleExit(inst, generation);
            });
  }

  /** Takes over a run found on the host at open. The caller holds the instance's lock. */
  void adopt(Instance inst, ProcessHandle process) {
    long generation = ++inst.generation;
    inst.process = Optional.of(process);
    Instant since = Instant.ofEpochMilli(inst.record.startedAtMillis());
    inst.state = new InstanceState.Running(process.pid(), since, true);
    InstanceRecord run = inst.record;
    Thread.ofVirtual()
        .name("adopted-" + run.id())
        .start(
            () -> {
              while (!closed.getAsBoolean()
                  && ProcFs.isSameProcess(run.bootId(), run.pid(), run.startTicks())) {
                sleep(ADOPTED_POLL);
              }
              handleExit(inst, generation);
            });
  }

  /** Records the exit of a run found dead at open, and restarts it if the policy says so. */
  void settleDead(Instance inst) {
    long generation = ++inst.generation;
    settleExit(inst, generation);
  }

  void handleExit(Instance inst, long generation) {
    inst.lock.lock();
    try {
      if (closed.getAsBoolean()
          || inst.removed
          || inst.generation != generation
          || inst.exitHandled) {
        return;
      }
      settleExit(inst, generation);
    } finally {
      inst.lock.unlock();
    }
  }

  private void settleExit(Instance inst, long generation) {
    inst.exitHandled = true;
    InstanceState.Exited exited = exitState(inst);
    launcher.cleanup(inst.record);
    inst.cgroup.remove();
    inst.process = Optional.empty();
    inst.state = exited;
    emit.accept(inst.status());
    if (inst.record.desiredRunning()
        && inst.record.spec().restartPolicy().restarts(exited.exitCode(), inst.record.restarts())) {
      scheduleRestart(inst, generation);
    }
  }

  private InstanceState.Exited exitState(Instance inst) {
    Optional<ExitFile> exit = store.readExit(inst.record.instanceId());
    int code = exit.map(e -> e.code().orElse(-1)).orElse(-1);
    Instant at = exit.map(ExitFile::at).orElseGet(Instant::now);
    ExitReason reason;
    if (!inst.record.desiredRunning()) {
      reason = ExitReason.STOPPED;
    } else if (exit.isEmpty()) {
      reason = ExitReason.LOST;
    } else if (exit.get().code().isEmpty()) {
      reason = ExitReason.LAUNCH_FAILED;
    } else if (inst.cgroup.oomKilled()) {
      reason = ExitReason.OOM_KILLED;
    } else {
      reason = code == 0 ? ExitReason.COMPLETED : ExitReason.FAILED;
    }
    return new InstanceState.Exited(code, reason, at);
  }

  private void scheduleRestart(Instance inst, long generation) {
    long factor = 1L << Math.min(inst.record.restarts(), 6);
    Duration backoff = Duration.ofMillis(500).multipliedBy(factor);
    Duration delay = backoff.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff;
    Thread.startVirtualThread(
        () -> {
          sleep(delay);
          inst.lock.lock();
          try {
            boolean current = inst.generation == generation && inst.record.desiredRunning();
            if (closed.getAsBoolean() || inst.removed || !current) {
              return;
            }
            inst.record = inst.record.withRestarts(inst.record.restarts() + 1);
            relaunch(inst);
          } finally {
            inst.lock.unlock();
          }
        });
  }

  private void relaunch(Instance inst) {
    try {
      launch(inst);
    } catch (WorkerException e) {
      store.save(inst.record);
      inst.state = new InstanceState.Exited(-1, ExitReason.LAUNCH_FAILED, Instant.now());
      emit.accept(inst.status());
    }
  }

  /**
   * Ends a run: SIGTERM to the program, SIGKILL to the sandbox after {@code grace}. Blocks. For a
   * runc container ({@code image}) the program is the container's pid 1, the child of {@code runc
   * run}; killing it tears down the container's pid namespace.
   */
  void terminate(ProcessHandle supervisor, long ticks, Duration grace, boolean image) {
    long deadline = System.nanoTime() + grace.toNanos();
    boolean signalled = false;
    // The program may not exist yet (stop right after start): look for it until the deadline.
    while (alive(supervisor, ticks) && System.nanoTime() < deadline) {
      if (!signalled) {
        List<ProcessHandle> programs = image ? containerInit(supervisor) : programs(supervisor);
        programs.forEach(ProcessHandle::destroy);
        signalled = !programs.isEmpty();
      }
      sleep(Duration.ofMillis(20));
    }
    if (alive(supervisor, ticks)) {
      // Killing the outer bwrap tears down the pid namespace; the supervisor then records 137.
      (image ? containerInit(supervisor) : supervisor.children().toList())
          .forEach(ProcessHandle::destroyForcibly);
      awaitGone(supervisor, ticks, Duration.ofSeconds(1));
    }
    if (alive(supervisor, ticks)) {
      supervisor.destroyForcibly();
      awaitGone(supervisor, ticks, KILL_WAIT);
    }
  }

  /** The program processes: children of the sandbox's pid 1 (supervisor, bwrap, bwrap, program). */
  private static List<ProcessHandle> programs(ProcessHandle supervisor) {
    return supervisor
        .children()
        .flatMap(ProcessHandle::children)
        .flatMap(ProcessHandle::children)
        .toList();
  }

  /** The container's pid 1: the child of {@code runc run} (supervisor, runc, program). */
  private static List<ProcessHandle> containerInit(ProcessHandle supervisor) {
    return supervisor.children().flatMap(ProcessHandle::children).toList();
  }

  private boolean alive(ProcessHandle process, long ticks) {
    return ProcFs.isSameProcess(bootId, process.pid(), ticks);
  }

  private void awaitGone(ProcessHandle process, long ticks, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (alive(process, ticks) && System.nanoTime() < deadline) {
      sleep(Duration.ofMillis(20));
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
