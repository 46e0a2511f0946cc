package io.wetee.worker;

import static io.wetee.worker.Sandboxes.awaitExit;
import static io.wetee.worker.Sandboxes.newId;
import static io.wetee.worker.Sandboxes.started;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.wetee.worker.spi.Enforcement.Mechanism;
import io.wetee.worker.spi.ExitReason;
import io.wetee.worker.spi.InstanceId;
import io.wetee.worker.spi.InstanceState;
import io.wetee.worker.spi.LaunchSpec;
import io.wetee.worker.spi.Limits;
import io.wetee.worker.spi.LogStream;
import io.wetee.worker.spi.WorkloadRuntime;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Limits, each asserted through its effect on a real program. A limit the host cannot enforce is
 * reported as skipped with the runtime's reason, never as passed.
 */
class LimitsTest {
  @TempDir Path state;
  WorkloadRuntime runtime;

  @BeforeEach
  void open() {
    assumeTrue(Sandboxes.pythonPresent(), "python3 is needed for the limit programs");
    runtime = Sandboxes.open(state);
    System.out.println("[LimitsTest] enforcement: " + runtime.enforcement().describe());
  }

  @AfterEach
  void close() {
    if (runtime != null) {
      runtime.list().forEach(s -> runtime.remove(s.id()));
      runtime.close();
    }
  }

  private LaunchSpec python(InstanceId id, String code, Limits limits) {
    return LaunchSpec.builder(id, "w1", 1).command("python3", "-c", code).limits(limits).build();
  }

  @Test
  void memoryLimitStopsAProgramThatExceedsItAndSparesOneThatFits() {
    Mechanism mechanism = runtime.enforcement().memory();
    assumeTrue(
        mechanism != Mechanism.NONE, "memory is not limited: " + runtime.enforcement().detail());
    Limits limits = Limits.DEFAULT.withMemoryBytes(64L << 20);
    String touch = "b = bytearray(%d << 20); b[::4096] = b'x' * len(b[::4096]); print('ok')";
    InstanceId small = newId("mem-ok");
    InstanceId big = newId("mem-big");

    started(runtime, python(small, touch.formatted(16), limits));
    started(runtime, python(big, touch.formatted(256), limits));

    assertThat(awaitExit(runtime, small).reason()).isEqualTo(ExitReason.COMPLETED);
    InstanceState.Exited exit = awaitExit(runtime, big);
    if (mechanism == Mechanism.RLIMIT) {
      assertThat(exit.reason()).isEqualTo(ExitReason.FAILED);
      assertThat(runtime.readLog(big, LogStream.STDERR, 10_000).orElseThrow())
          .contains("MemoryError");
    } else {
      assertThat(exit.reason()).isEqualTo(ExitReason.OOM_KILLED);
      assertThat(exit.exitCode()).isEqualTo(137);
    }
  }

  @Test
  void cpuLimitThrottlesABusyProgram() {
    assumeTrue(
        runtime.enforcement().cpu() != Mechanism.NONE,
        "CPU is not limited on this host: " + runtime.enforcement().detail());
    InstanceId id = newId("cpu");
    String busy =
        """
        import time
        end = time.monotonic() + 1.5
        while time.monotonic() < end: pass
        print(round(time.process_time(), 2))
        """;

    started(runtime, python(id, busy, Limits.DEFAULT.withCpuMillis(100)));
    awaitExit(runtime, id);

    // 100 milli-cores over 1.5 s of wall time allow about 0.15 s of CPU.
    double cpuSeconds =
        Double.parseDouble(runtime.readLog(id, LogStream.STDOUT, 100).orElseThrow().trim());
    assertThat(cpuSeconds).isLessThan(0.5);
  }

  @Test
  void startAllowanceLiftsTheCpuLimitOnlyUntilTheInstanceIsReportedStarted() throws Exception {
    assumeTrue(
        runtime.enforcement().cpu() != Mechanism.NONE,
        "CPU is not limited on this host: " + runtime.enforcement().detail());
    runtime.close();
    runtime = Runtimes.local(LocalRuntimeConfig.defaults(state).withStartAllowance(true));
    InstanceId id = newId("cpu-allowance");
    String twoPhases =
        """
        import time
        def busy(seconds):
            end = time.monotonic() + seconds
            while time.monotonic() < end: pass
        busy(1.0)
        first = time.process_time()
        print(round(first, 2), flush=True)
        time.sleep(1.0)
        busy(1.5)
        print(round(time.process_time() - first, 2), flush=True)
        """;

    started(runtime, python(id, twoPhases, Limits.DEFAULT.withCpuMillis(100)));
    // Start-up: the 100 milli-core limit is lifted (two cores), so 1 s busy is about 1 s of CPU.
    String first = "";
    for (int i = 0; i < 200 && first.isBlank(); i++) {
      Thread.sleep(50);
      first = runtime.readLog(id, LogStream.STDOUT, 100).orElse("").trim();
    }
    assertThat(Double.parseDouble(first)).isGreaterThan(0.5);
    runtime.started(id); // what the worker says once the agent attested
    awaitExit(runtime, id);

    String[] lines = runtime.readLog(id, LogStream.STDOUT, 100).orElseThrow().trim().split("\n");
    assertThat(lines).hasSize(2);
    assertThat(Double.parseDouble(lines[1])).isLessThan(0.5); // the limit holds again
  }

  @Test
  void processLimitCapsForks() {
    Mechanism mechanism = runtime.enforcement().processes();
    assumeTrue(
        mechanism != Mechanism.NONE,
        "processes are not limited on this host: " + runtime.enforcement().detail());
    InstanceId id = newId("pids");
    String forks =
        """
        import os, signal
        kids = []
        for i in range(20):
            try:
                pid = os.fork()
            except OSError:
                break
            if pid == 0:
                signal.pause()
            kids.append(pid)
        print(len(kids))
        for k in kids: os.kill(k, signal.SIGKILL)
        """;

    started(runtime, python(id, forks, Limits.DEFAULT.withMaxProcesses(8)));
    awaitExit(runtime, id);

    int forked = Integer.parseInt(runtime.readLog(id, LogStream.STDOUT, 100).orElseThrow().trim());
    // The group also holds the supervisor, two bwrap processes and python itself.
    assertThat(forked).isEqualTo(mechanism == Mechanism.RLIMIT ? 7 : 4);
  }

  @Test
  void tmpIsCappedAtItsSize() {
    InstanceId id = newId("tmp");
    String script =
        "dd if=/dev/zero of=/tmp/fill bs=1M count=8 2>/dev/null; echo $?; du -k /tmp/fill";
    started(
        runtime,
        LaunchSpec.builder(id, "w1", 1)
            .command("/bin/sh", "-c", script)
            .limits(Limits.DEFAULT.withTmpBytes(2L << 20))
            .build());
    awaitExit(runtime, id);

    assertThat(runtime.readLog(id, LogStream.STDOUT, 1000).orElseThrow()).startsWith("1\n2048\t");
  }
}
