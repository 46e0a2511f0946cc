package io.wetee.worker;

import static io.wetee.worker.Sandboxes.awaitExit;
import static io.wetee.worker.Sandboxes.newId;
import static io.wetee.worker.Sandboxes.shell;
import static io.wetee.worker.Sandboxes.started;
import static org.assertj.core.api.Assertions.assertThat;

import io.wetee.worker.spi.InstanceId;
import io.wetee.worker.spi.InstanceState;
import io.wetee.worker.spi.LogStream;
import io.wetee.worker.spi.WorkloadRuntime;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a sandboxed program must not see: the worker's files, keys, other workloads. */
class IsolationTest {
  private static final String KEY = "0xWORKER-PRIVATE-KEY-4f1c";

  @TempDir Path state;
  @TempDir Path workerHome;
  WorkloadRuntime runtime;

  @BeforeEach
  void open() {
    runtime = Sandboxes.open(state);
  }

  @AfterEach
  void close() {
    runtime.list().forEach(s -> runtime.remove(s.id()));
    runtime.close();
  }

  @Test
  void sandboxedProgramCannotReadTheWorkersKeyFileEvenWhenItIsWorldReadable() throws Exception {
    // World-readable on purpose: only the sandbox's mount namespace stands between it and the key.
    Files.setPosixFilePermissions(workerHome, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path key = Files.writeString(workerHome.resolve("worker.key"), KEY);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
    InstanceId id = newId("thief");
    String script =
        "cat "
            + key
            + " /proc/1/root"
            + key
            + " /proc/self/root"
            + key
            + "; find / -path /usr -prune -o -path /proc -prune -o -name worker.key -print;"
            + " cat /proc/*/environ | tr '\\0' '\\n' | grep -c WETEE_PRIVATE_KEY; grep -rs -e '"
            + KEY
            + "' /etc /work /tmp /app; echo done";

    started(runtime, shell(id, script).build());
    InstanceState.Exited exit = awaitExit(runtime, id);

    String out = runtime.readLog(id, LogStream.STDOUT, 100_000).orElseThrow();
    String err = runtime.readLog(id, LogStream.STDERR, 100_000).orElseThrow();
    assertThat(out).isEqualTo("0\ndone\n");
    assertThat(err).doesNotContain(KEY).contains("No such file or directory");
    assertThat(exit.exitCode()).isZero();
  }

  @Test
  void sandboxedProgramCannotReadAnotherWorkloadsDirectory() throws Exception {
    InstanceId victim = newId("victim");
    started(runtime, shell(victim, "echo private-data > /work/private.txt; exec sleep 30").build());
    Path victimFile =
        state.resolve("instances").resolve(victim.value()).resolve("work/private.txt");
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(victimFile));
    InstanceId intruder = newId("intruder");
    String script =
        "cat "
            + victimFile
            + "; ls "
            + state
            + "; ls /proc | grep -c '^[0-9]'; pkill sleep || echo no-sleep-visible";

    started(runtime, shell(intruder, script).build());
    awaitExit(runtime, intruder);

    String out = runtime.readLog(intruder, LogStream.STDOUT, 10_000).orElseThrow();
    assertThat(out).doesNotContain("private-data").contains("no-sleep-visible");
    assertThat(runtime.status(victim).orElseThrow().running()).isTrue();
  }

  @Test
  void anotherSandboxUidIsDeniedTheWorkDirectoryOnTheHostToo() throws Exception {
    // Defence in depth: were a program to escape its mount namespace, its uid still differs.
    InstanceId victim = newId("victim");
    started(runtime, shell(victim, "echo private-data > /work/private.txt").build());
    awaitExit(runtime, victim);
    Path victimFile =
        state.resolve("instances").resolve(victim.value()).resolve("work/private.txt");
    int victimUid = (Integer) Files.getAttribute(victimFile, "unix:uid");
    String otherUid = Integer.toString(victimUid + 1);

    Process cat =
        new ProcessBuilder(
                "setpriv",
                "--reuid=" + otherUid,
                "--regid=" + otherUid,
                "--clear-groups",
                "cat",
                victimFile.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(cat.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(cat.waitFor()).isEqualTo(1);
    assertThat(output).contains("Permission denied").doesNotContain("private-data");
    assertThat(Files.readString(victimFile)).isEqualTo("private-data\n");
  }

  @Test
  void eachInstanceRunsUnderItsOwnUnprivilegedUid() {
    InstanceId a = newId("uid");
    InstanceId b = newId("uid");
    String script = "id -u; grep CapEff /proc/self/status";
    started(runtime, shell(a, script).build());
    started(runtime, shell(b, script).build());
    awaitExit(runtime, a);
    awaitExit(runtime, b);

    String outA = runtime.readLog(a, LogStream.STDOUT, 1000).orElseThrow();
    String outB = runtime.readLog(b, LogStream.STDOUT, 1000).orElseThrow();
    assertThat(outA).isEqualTo("200000\nCapEff:\t0000000000000000\n");
    assertThat(outB).isEqualTo("200001\nCapEff:\t0000000000000000\n");
  }
}
