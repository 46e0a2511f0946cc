package io.wetee.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real child processes (sh) under the supervisor. */
class SupervisorTest {
  @TempDir Path dir;
  final LogStore logs = new LogStore(4096, 1 << 20, Clock.systemUTC());

  private Supervisor supervisor(
      String script, AgentConfig.RestartMode mode, int max, Optional<Duration> timeout) {
    return new Supervisor(
        List.of("sh", "-c", script),
        Map.of("PATH", System.getenv("PATH"), "WHO", "program"),
        dir,
        new AgentConfig.Restart(mode, max, 50L, 400L),
        timeout,
        logs);
  }

  private String stdout() {
    StringBuilder b = new StringBuilder();
    logs.since(0, 1000).stream()
        .filter(c -> c.stream() == LogStore.Stream.STDOUT)
        .forEach(c -> b.append(new String(c.data().orElseThrow(), StandardCharsets.UTF_8)));
    return b.toString();
  }

  @Test
  void restartsACrashingProgramOnFailureUntilTheLimitWithBackoff() throws Exception {
    Supervisor s =
        supervisor(
            "echo run $WHO; exit 3", AgentConfig.RestartMode.ON_FAILURE, 2, Optional.empty());
    long t0 = System.nanoTime();
    s.start();
    Supervisor.Exit exit = s.finished().get(10, TimeUnit.SECONDS);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(exit).isEqualTo(new Supervisor.Exit(3, false, false));
    assertThat(s.view().restarts()).isEqualTo(2);
    assertThat(s.view().lastExitCode()).contains(3);
    assertThat(stdout()).isEqualTo("run program\n".repeat(3));
    assertThat(ms).isGreaterThanOrEqualTo(50 + 100); // backoff 50 ms, then 100 ms
  }

  @Test
  void doesNotRestartAProgramThatSucceededUnderOnFailureButDoesUnderAlways() throws Exception {
    Supervisor once =
        supervisor("echo ok", AgentConfig.RestartMode.ON_FAILURE, 5, Optional.empty());
    once.start();
    assertThat(once.finished().get(10, TimeUnit.SECONDS).exitCode()).isZero();
    assertThat(once.view().restarts()).isZero();

    Supervisor always = supervisor("echo ok", AgentConfig.RestartMode.ALWAYS, 2, Optional.empty());
    always.start();
    assertThat(always.finished().get(10, TimeUnit.SECONDS).exitCode()).isZero();
    assertThat(always.view().restarts()).isEqualTo(2);
  }

  @Test
  void killsATaskThatOutlivesItsTimeoutAndReports124() throws Exception {
    Supervisor s =
        supervisor(
            "sleep 30", AgentConfig.RestartMode.NEVER, 0, Optional.of(Duration.ofMillis(300)));
    s.start();
    assertThat(s.finished().get(10, TimeUnit.SECONDS))
        .isEqualTo(new Supervisor.Exit(124, true, false));
    assertThat(s.current()).isEmpty();
  }

  @Test
  void stopEndsTheProgramAndItsChildrenAndDoesNotRestartIt() throws Exception {
    Path pidFile = dir.resolve("child.pid");
    Supervisor s =
        supervisor(
            "sleep 60 & echo $! > child.pid; wait",
            AgentConfig.RestartMode.ALWAYS,
            10,
            Optional.empty());
    s.start();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> Files.exists(pidFile) && Files.size(pidFile) > 0);
    long child = Long.parseLong(Files.readString(pidFile).strip());
    s.stop(Duration.ofSeconds(2));
    assertThat(s.finished().get(5, TimeUnit.SECONDS).stopped()).isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> gone(child));
    assertThat(s.view().restarts()).isZero();
  }

  /** Exited: no such process, or a zombie not yet reaped by its new parent. */
  private static boolean gone(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (java.io.IOException e) {
      return true;
    }
  }

  @Test
  void reportsAProgramThatCannotBeStarted() {
    Supervisor s =
        new Supervisor(
            List.of("/nonexistent/program"),
            Map.of(),
            dir,
            new AgentConfig.Restart(AgentConfig.RestartMode.ALWAYS, null, null, null),
            Optional.empty(),
            logs);
    assertThatThrownBy(s::start).isInstanceOf(java.io.IOException.class);
  }
}
