package io.wetee.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.wetee.worker.spi.InstanceId;
import io.wetee.worker.spi.InstanceState;
import io.wetee.worker.spi.InstanceStatus;
import io.wetee.worker.spi.LaunchSpec;
import io.wetee.worker.spi.StartResult;
import io.wetee.worker.spi.WorkloadRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;

/** Test helpers around real local runtimes. */
final class Sandboxes {
  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  private Sandboxes() {}

  static WorkloadRuntime open(Path stateDir) {
    return Runtimes.local(LocalRuntimeConfig.defaults(stateDir));
  }

  /** A fresh instance id, unique within the test run. */
  static InstanceId newId(String prefix) {
    return InstanceId.of(
        prefix + "-" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet());
  }

  static LaunchSpec.Builder shell(InstanceId id, String script) {
    return LaunchSpec.builder(id, "w1", 1).command("/bin/sh", "-c", script);
  }

  static InstanceStatus started(WorkloadRuntime runtime, LaunchSpec spec) {
    StartResult result = runtime.start(spec);
    assertThat(result).isInstanceOf(StartResult.Started.class);
    return ((StartResult.Started) result).status();
  }

  /** Waits until the instance has exited and answers how. */
  static InstanceState.Exited awaitExit(WorkloadRuntime runtime, InstanceId id) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> runtime.status(id).map(s -> !s.running()).orElse(false));
    return (InstanceState.Exited) runtime.status(id).orElseThrow().state();
  }

  /** Makes a test's temporary directory readable by sandbox uids (JUnit creates it 0700). */
  static Path shared(Path dir) throws java.io.IOException {
    Files.setPosixFilePermissions(
        dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    return dir;
  }

  static boolean pythonPresent() {
    return Files.isExecutable(Path.of("/usr/bin/python3"));
  }
}
