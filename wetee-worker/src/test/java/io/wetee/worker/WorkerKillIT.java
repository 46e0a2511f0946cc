package io.wetee.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.wetee.worker.spi.InstanceId;
import io.wetee.worker.spi.InstanceState;
import io.wetee.worker.spi.LaunchSpec;
import io.wetee.worker.spi.StartResult;
import io.wetee.worker.spi.WorkloadRuntime;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A worker process killed with SIGKILL leaves its instance running; the next one adopts it. */
class WorkerKillIT {
  @TempDir Path state;

  @Test
  void instanceSurvivesSigkillOfItsWorkerAndIsAdoptedOnceByTheNext() throws Exception {
    InstanceId id = Sandboxes.newId("killed");
    String java = ProcessHandle.current().info().command().orElseThrow();
    Process worker =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                WorkerMain.class.getName(),
                state.toString(),
                id.value())
            .redirectErrorStream(true)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8));
    assertThat(out.readLine()).isEqualTo("ready Started");

    worker.destroyForcibly(); // SIGKILL: no shutdown hook, no close()
    assertThat(worker.waitFor(10, TimeUnit.SECONDS)).isTrue();

    Path starts = state.resolve("instances").resolve(id.value()).resolve("work/starts");
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(starts));
    try (WorkloadRuntime next = Sandboxes.open(state)) {
      LaunchSpec same =
          LaunchSpec.builder(id, "w1", 1)
              .command("/bin/sh", "-c", "echo started >> /work/starts; exec sleep 60")
              .build();

      assertThat(next.status(id).orElseThrow().state())
          .isInstanceOfSatisfying(
              InstanceState.Running.class, r -> assertThat(r.adopted()).isTrue());
      assertThat(next.start(same)).isInstanceOf(StartResult.Existing.class);
      assertThat(Files.readAllLines(starts)).containsExactly("started");
      assertThat(next.remove(id)).isTrue();
    }
  }
}
