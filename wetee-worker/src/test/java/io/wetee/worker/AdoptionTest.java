package io.wetee.worker;

import static io.wetee.worker.Sandboxes.awaitExit;
import static io.wetee.worker.Sandboxes.newId;
import static io.wetee.worker.Sandboxes.shell;
import static io.wetee.worker.Sandboxes.started;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wetee.worker.spi.ExitReason;
import io.wetee.worker.spi.InstanceId;
import io.wetee.worker.spi.InstanceState;
import io.wetee.worker.spi.InstanceStatus;
import io.wetee.worker.spi.LaunchSpec;
import io.wetee.worker.spi.StartResult;
import io.wetee.worker.spi.WorkloadRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A worker restart is a new runtime object over the same state directory. */
class AdoptionTest {
  @TempDir Path state;
  WorkloadRuntime runtime;

  @AfterEach
  void close() {
    if (runtime != null) {
      runtime.list().forEach(s -> runtime.remove(s.id()));
      runtime.close();
    }
  }

  @Test
  void newRuntimeAdoptsARunningInstanceAndDoesNotStartASecondCopy() throws Exception {
    InstanceId id = newId("adopt");
    LaunchSpec spec = shell(id, "echo started >> /work/starts; exec sleep 30").port(8080).build();
    WorkloadRuntime before = Sandboxes.open(state);
    InstanceStatus first = started(before, spec);
    before.close();

    runtime = Sandboxes.open(state);
    InstanceStatus adopted = runtime.status(id).orElseThrow();
    StartResult again = runtime.start(spec);

    long pid = ((InstanceState.Running) first.state()).pid();
    assertThat(adopted.state())
        .isInstanceOfSatisfying(
            InstanceState.Running.class,
            r -> {
              assertThat(r.pid()).isEqualTo(pid);
              assertThat(r.adopted()).isTrue();
            });
    assertThat(adopted.ports()).isEqualTo(first.ports());
    assertThat(again).isInstanceOf(StartResult.Existing.class);
    assertThat(supervisorsOf(id)).isEqualTo(1);
    Path starts = state.resolve("instances").resolve(id.value()).resolve("work/starts");
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(starts));
    assertThat(Files.readAllLines(starts)).containsExactly("started");
    InstanceStatus stopped = runtime.stop(id, Duration.ofSeconds(5)).orElseThrow();
    assertThat(((InstanceState.Exited) stopped.state()).reason()).isEqualTo(ExitReason.STOPPED);
    assertThat(supervisorsOf(id)).isZero();
  }

  @Test
  void newRuntimeReportsTheExitOfAnInstanceThatEndedWhileNoneWatched() {
    InstanceId id = newId("ended");
    WorkloadRuntime before = Sandboxes.open(state);
    started(before, shell(id, "sleep 0.3; exit 3").build());
    before.close();
    Path exitFile = state.resolve("instances").resolve(id.value()).resolve("exit");
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(exitFile));

    runtime = Sandboxes.open(state);

    assertThat(runtime.status(id).orElseThrow().state())
        .isInstanceOfSatisfying(
            InstanceState.Exited.class,
            e -> {
              assertThat(e.exitCode()).isEqualTo(3);
              assertThat(e.reason()).isEqualTo(ExitReason.FAILED);
            });
  }

  @Test
  void adoptedInstanceReportsItsExitCodeWhenItEnds() {
    InstanceId id = newId("later");
    WorkloadRuntime before = Sandboxes.open(state);
    started(before, shell(id, "sleep 1; exit 5").build());
    before.close();

    runtime = Sandboxes.open(state);
    assertThat(runtime.status(id).orElseThrow().running()).isTrue();

    assertThat(awaitExit(runtime, id))
        .extracting(InstanceState.Exited::exitCode, InstanceState.Exited::reason)
        .containsExactly(5, ExitReason.FAILED);
  }

  @Test
  void secondRuntimeOverAStateDirectoryInUseIsRefused() {
    runtime = Sandboxes.open(state);

    assertThatThrownBy(() -> Sandboxes.open(state))
        .isInstanceOf(WorkerException.class)
        .hasMessageContaining("another runtime is using the state directory");
  }

  /** Host processes whose command line names this instance's exit file: its supervisors. */
  private long supervisorsOf(InstanceId id) {
    String exitFile = state.resolve("instances").resolve(id.value()).resolve("exit").toString();
    return ProcessHandle.allProcesses()
        .filter(
            p ->
                p.info()
                    .commandLine()
                    .map(c -> c.contains("wetee-supervisor " + exitFile))
                    .orElse(false))
        .filter(ProcessHandle::isAlive)
        .count();
  }
}
