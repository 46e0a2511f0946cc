package io.wetee.agent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the user's program as a child process, captures its output into the {@link LogStore}, and
 * restarts it by the restart policy with exponential backoff (initial delay doubled per consecutive
 * restart up to the cap; a run that lasted at least the cap resets it).
 *
 * <p>Threading: {@link #start} launches the first process on the caller's thread (so a program that
 * cannot start is reported at once), then one virtual thread waits, decides and restarts; two
 * virtual threads per process copy stdout and stderr. {@link #stop} is idempotent: SIGTERM to the
 * process tree, SIGKILL after the grace period. The environment is exactly the one given: nothing
 * of the agent's own leaks in.
 */
final class Supervisor {
  private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);

  /** How the supervised program ended for good. */
  record Exit(int exitCode, boolean timedOut, boolean stopped) {}

  /** A snapshot for the status. */
  record View(
      Optional<Long> pid,
      int restarts,
      Optional<Integer> lastExitCode,
      Optional<Long> startedAtMillis,
      Optional<Exit> finished) {}

  private final List<String> command;
  private final Map<String, String> env;
  private final Path workDir;
  private final AgentConfig.Restart restart;
  private final Optional<Duration> timeout;
  private final LogStore logs;
  private final CompletableFuture<Exit> finished = new CompletableFuture<>();
  private volatile Process process;
  private volatile long startedAt;
  private final AtomicInteger restarts = new AtomicInteger();
  private volatile Integer lastExitCode;
  private volatile boolean stopping;
  private Thread loop;

  Supervisor(
      List<String> command,
      Map<String, String> env,
      Path workDir,
      AgentConfig.Restart restart,
      Optional<Duration> timeout,
      LogStore logs) {
    this.command = List.copyOf(command);
    this.env = Map.copyOf(env);
    this.workDir = workDir;
    this.restart = restart;
    this.timeout = timeout;
    this.logs = logs;
  }

  /** Starts the program; an {@link IOException} means it could not be started at all. */
  synchronized void start() throws IOException {
    if (loop != null) {
      throw new IllegalStateException("already started");
    }
    launch();
    loop = Thread.ofVirtual().name("supervisor").start(this::supervise);
  }

  private void launch() throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close(); // the program reads no stdin
    startedAt = System.currentTimeMillis();
    process = p;
    LOG.info("program started, pid {}", p.pid());
  }

  private void supervise() {
    long backoff = restart.initialBackoffMillis();
    while (true) {
      Process p = process;
      Thread out = copy(p.getInputStream(), LogStore.Stream.STDOUT);
      Thread err = copy(p.getErrorStream(), LogStore.Stream.STDERR);
      Exit exit = await(p);
      join(out);
      join(err);
      lastExitCode = exit.exitCode();
      long ran = System.currentTimeMillis() - startedAt;
      LOG.info("program exited with {} after {} ms", exit.exitCode(), ran);
      if (stopping || exit.timedOut() || !restarts(exit.exitCode())) {
        finished.complete(new Exit(exit.exitCode(), exit.timedOut(), stopping));
        return;
      }
      backoff = ran >= restart.maxBackoffMillis() ? restart.initialBackoffMillis() : backoff;
      if (!sleep(backoff)) {
        finished.complete(new Exit(exit.exitCode(), false, true));
        return;
      }
      backoff = Math.min(backoff * 2, restart.maxBackoffMillis());
      restarts.incrementAndGet();
      try {
        launch();
      } catch (IOException e) {
        LOG.warn("program could not be restarted: {}", e.getMessage());
        finished.complete(new Exit(127, false, false));
        return;
      }
    }
  }

  private boolean restarts(int exitCode) {
    if (restarts.get() >= restart.maxRestarts()) {
      return false;
    }
    return switch (restart.policy()) {
      case ALWAYS -> true;
      case ON_FAILURE -> exitCode != 0;
      case NEVER -> false;
    };
  }

  private Exit await(Process p) {
    try {
      if (timeout.isPresent() && !p.waitFor(timeout.get().toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("program timed out after {}", timeout.get());
        kill(p, Duration.ofSeconds(2));
        return new Exit(124, true, false);
      }
      return new Exit(p.waitFor(), false, false);
    } catch (InterruptedException e) {
      // Only stop() interrupts: make sure the program is gone, then report its code.
      kill(p, Duration.ofSeconds(2));
      return new Exit(p.isAlive() ? 137 : p.exitValue(), false, true);
    }
  }

  private Thread copy(InputStream in, LogStore.Stream stream) {
    return Thread.ofVirtual()
        .name("capture-" + stream)
        .start(
            () -> {
              byte[] buf = new byte[8192];
              try (in) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                  logs.append(stream, buf, 0, n);
                }
              } catch (IOException e) {
                LOG.debug("capture of {} ended: {}", stream, e.getMessage());
              }
            });
  }

  private static void join(Thread t) {
    try {
      // A grandchild may keep the pipe open after the program exits: do not wait for it forever.
      t.join(Duration.ofSeconds(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private boolean sleep(long millis) {
    try {
      Thread.sleep(millis);
      return !stopping;
    } catch (InterruptedException e) {
      return false;
    }
  }

  /** The running program, if any. */
  Optional<ProcessHandle> current() {
    Process p = process;
    return p != null && p.isAlive() ? Optional.of(p.toHandle()) : Optional.empty();
  }

  int restartCount() {
    return restarts.get();
  }

  View view() {
    Optional<ProcessHandle> p = current();
    return new View(
        p.map(ProcessHandle::pid),
        restarts.get(),
        Optional.ofNullable(lastExitCode),
        process == null ? Optional.empty() : Optional.of(startedAt),
        Optional.ofNullable(finished.getNow(null)));
  }

  /** Completes when the program ended for good (no more restarts, timed out, or stopped). */
  CompletableFuture<Exit> finished() {
    return finished;
  }

  /** Stops the program (SIGTERM to its tree, SIGKILL after {@code grace}); idempotent. */
  void stop(Duration grace) {
    stopping = true;
    Process p = process;
    if (p != null) {
      kill(p, grace);
    }
    Thread t;
    synchronized (this) {
      t = loop;
    }
    if (t != null) {
      t.interrupt();
      try {
        t.join(grace.plusSeconds(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void kill(Process p, Duration grace) {
    List<ProcessHandle> tree = p.descendants().toList();
    tree.forEach(ProcessHandle::destroy);
    p.destroy();
    try {
      if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }
}
