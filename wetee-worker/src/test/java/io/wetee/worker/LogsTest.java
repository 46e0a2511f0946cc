package io.wetee.worker;

import static io.wetee.worker.Sandboxes.awaitExit;
import static io.wetee.worker.Sandboxes.newId;
import static io.wetee.worker.Sandboxes.shell;
import static io.wetee.worker.Sandboxes.started;
import static org.assertj.core.api.Assertions.assertThat;

import io.wetee.worker.spi.InstanceId;
import io.wetee.worker.spi.LogStream;
import io.wetee.worker.spi.Subscription;
import io.wetee.worker.spi.WorkloadRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogsTest {
  @TempDir Path state;
  WorkloadRuntime runtime;

  @BeforeEach
  void open() {
    runtime = Runtimes.local(LocalRuntimeConfig.defaults(state).withLogs(4096, 2));
  }

  @AfterEach
  void close() {
    runtime.list().forEach(s -> runtime.remove(s.id()));
    runtime.close();
  }

  @Test
  void rotatesALogPastItsCapAndKeepsOnlyTheConfiguredCopies() throws Exception {
    InstanceId id = newId("rotate");
    String burst = "head -c 65536 /dev/zero | tr '\\0' 'x'; echo";
    String script = burst + "; sleep 2; " + burst + "; sleep 2; " + burst + "; sleep 2";
    started(runtime, shell(id, script).build());
    awaitExit(runtime, id);

    Path log = state.resolve("instances").resolve(id.value()).resolve("logs/stdout.log");
    assertThat(Files.size(log)).isLessThanOrEqualTo(4096);
    assertThat(Files.size(LogFiles.numbered(log, 1))).isEqualTo(65537);
    assertThat(Files.size(LogFiles.numbered(log, 2))).isEqualTo(65537);
    assertThat(LogFiles.numbered(log, 3)).doesNotExist();
  }

  @Test
  void followDeliversEachNewLineInOrder() {
    InstanceId id = newId("follow");
    started(
        runtime,
        shell(id, "sleep 0.3; for i in 1 2 3 4 5; do echo line-$i; sleep 0.05; done").build());
    List<String> lines = new CopyOnWriteArrayList<>();

    Subscription follow = runtime.followLog(id, LogStream.STDOUT, lines::add).orElseThrow();
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> lines.size() == 5);
    follow.close();

    assertThat(lines).containsExactly("line-1", "line-2", "line-3", "line-4", "line-5");
  }
}
