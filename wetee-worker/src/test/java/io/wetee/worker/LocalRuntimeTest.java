package io.wetee.worker;

import static io.wetee.worker.Sandboxes.awaitExit;
import static io.wetee.worker.Sandboxes.newId;
import static io.wetee.worker.Sandboxes.shell;
import static io.wetee.worker.Sandboxes.started;
import static org.assertj.core.api.Assertions.assertThat;

import io.wetee.worker.spi.ExitReason;
import io.wetee.worker.spi.FileToWrite;
import io.wetee.worker.spi.InstanceId;
import io.wetee.worker.spi.InstanceState;
import io.wetee.worker.spi.InstanceStatus;
import io.wetee.worker.spi.LaunchSpec;
import io.wetee.worker.spi.LogStream;
import io.wetee.worker.spi.RestartPolicy;
import io.wetee.worker.spi.StartRefusal;
import io.wetee.worker.spi.StartResult;
import io.wetee.worker.spi.Subscription;
import io.wetee.worker.spi.WorkloadRuntime;
import java.nio.charset.StandardCharsets;
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

class LocalRuntimeTest {
  @TempDir Path state;
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
  void reportsTheProgramsExitCode() {
    InstanceId failing = newId("exit");
    InstanceId ok = newId("exit");
    started(runtime, shell(failing, "exit 7").build());
    started(runtime, shell(ok, "exit 0").build());

    assertThat(awaitExit(runtime, failing))
        .extracting(InstanceState.Exited::exitCode, InstanceState.Exited::reason)
        .containsExactly(7, ExitReason.FAILED);
    assertThat(awaitExit(runtime, ok))
        .extracting(InstanceState.Exited::exitCode, InstanceState.Exited::reason)
        .containsExactly(0, ExitReason.COMPLETED);
  }

  @Test
  void capturesStdoutAndStderrInTheInstanceLogs() {
    InstanceId id = newId("logs");
    started(runtime, shell(id, "echo to-out; echo to-err >&2").build());
    awaitExit(runtime, id);

    assertThat(runtime.readLog(id, LogStream.STDOUT, 1000)).hasValue("to-out\n");
    assertThat(runtime.readLog(id, LogStream.STDERR, 1000)).hasValue("to-err\n");
    assertThat(runtime.readLog(newId("unknown"), LogStream.STDOUT, 1000)).isEmpty();
  }

  @Test
  void programSeesOnlyTheDeclaredEnvironmentAndItsPorts() {
    InstanceId id = newId("env");
    LaunchSpec spec =
        shell(id, "env | sort")
            .env("GREETING", "hello")
            .env("PORT", "overridden")
            .port(8080)
            .build();
    InstanceStatus status = started(runtime, spec);
    awaitExit(runtime, id);

    int host = status.hostPort(8080);
    assertThat(runtime.readLog(id, LogStream.STDOUT, 10_000).orElseThrow().lines().toList())
        .containsExactly(
            "GREETING=hello",
            "HOME=/work",
            "LANG=C.UTF-8",
            "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "PORT=" + host,
            "PWD=/work",
            "TMPDIR=/tmp",
            "WETEE_INSTANCE_ID=" + id.value(),
            "WETEE_PORT_8080=" + host,
            "WETEE_VERSION=1",
            "WETEE_WORKLOAD_ID=w1");
  }

  @Test
  void sandboxIsReadOnlyOutsideWorkAndTmpAndShowsNoHostSecrets() {
    InstanceId id = newId("fs");
    String script =
        "for f in /usr/x /x /dev/x /etc/x /proc/x; do touch $f 2>/dev/null && echo writable:$f; done;"
            + " touch /dev/shm/s && echo shm-ok;"
            + " touch /work/w && echo work-ok; touch /tmp/t && echo tmp-ok;"
            + " test -e /etc/shadow && echo shadow-visible; test -e /root && echo root-visible;"
            + " test -e /sys && echo sys-visible; ls /proc | grep -c '^[0-9]'; id -u";
    started(runtime, shell(id, script).build());
    awaitExit(runtime, id);

    String uid = Integer.toString(LocalRuntimeConfig.defaults(state).uidBase());
    assertThat(runtime.readLog(id, LogStream.STDOUT, 10_000).orElseThrow().lines().toList())
        .containsExactly(
            "shm-ok", "work-ok", "tmp-ok", "4", uid); // pids: bwrap's init, sh, ls, grep
  }

  @Test
  void filesToWriteAppearInTheWorkDirectory() {
    InstanceId id = newId("files");
    LaunchSpec spec =
        shell(id, "cat conf/app.json; ./run.sh")
            .file(FileToWrite.text("conf/app.json", "{\"a\":1}\n"))
            .file(
                FileToWrite.bytes(
                    "run.sh", "#!/bin/sh\necho ran\n".getBytes(StandardCharsets.UTF_8), true))
            .build();
    started(runtime, spec);

    assertThat(awaitExit(runtime, id).exitCode()).isZero();
    assertThat(runtime.readLog(id, LogStream.STDOUT, 1000)).hasValue("{\"a\":1}\nran\n");
  }

  @Test
  void appDirectoryIsMountedReadOnlyAtApp(@TempDir Path app) throws Exception {
    Sandboxes.shared(app);
    Files.writeString(app.resolve("hello.txt"), "from the bundle\n");
    InstanceId id = newId("app");
    LaunchSpec spec =
        LaunchSpec.builder(id, "w1", 1)
            .appDir(app)
            .command("/bin/sh", "-c", "cat hello.txt; pwd; touch /app/x 2>/dev/null || echo ro")
            .build();
    started(runtime, spec);
    awaitExit(runtime, id);

    assertThat(runtime.readLog(id, LogStream.STDOUT, 1000)).hasValue("from the bundle\n/app\nro\n");
  }

  @Test
  void startingTheSameIdTwiceRunsOneInstance() throws Exception {
    InstanceId id = newId("twice");
    LaunchSpec spec = shell(id, "echo started >> /work/starts; exec sleep 30").build();
    InstanceStatus first = started(runtime, spec);

    StartResult second = runtime.start(spec);

    assertThat(second).isInstanceOf(StartResult.Existing.class);
    assertThat(((StartResult.Existing) second).status().state()).isEqualTo(first.state());
    Path starts = state.resolve("instances").resolve(id.value()).resolve("work/starts");
    Awaitility.await().until(() -> Files.exists(starts));
    assertThat(Files.readAllLines(starts)).containsExactly("started");
  }

  @Test
  void refusesTheSameIdWithADifferentSpec() {
    InstanceId id = newId("conflict");
    started(runtime, shell(id, "exec sleep 30").build());

    StartResult other = runtime.start(shell(id, "exec sleep 31").build());

    assertThat(other)
        .isInstanceOfSatisfying(
            StartResult.Refused.class,
            r -> assertThat(r.reason()).isEqualTo(StartRefusal.SPEC_CONFLICT));
  }

  @Test
  void refusesAMissingAppDirectory(@TempDir Path tmp) {
    LaunchSpec spec =
        LaunchSpec.builder(newId("noapp"), "w1", 1)
            .appDir(tmp.resolve("nope"))
            .command("x")
            .build();

    assertThat(runtime.start(spec))
        .isInstanceOfSatisfying(
            StartResult.Refused.class,
            r -> assertThat(r.reason()).isEqualTo(StartRefusal.APP_DIR_MISSING));
    assertThat(runtime.list()).isEmpty();
  }

  @Test
  void stopTerminatesTheProgramAndReportsStopped() {
    InstanceId id = newId("stop");
    started(runtime, shell(id, "exec sleep 30").build());

    long before = System.nanoTime();
    InstanceStatus status = runtime.stop(id, Duration.ofSeconds(10)).orElseThrow();

    assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(5));
    assertThat(status.state())
        .isInstanceOfSatisfying(
            InstanceState.Exited.class,
            e -> {
              assertThat(e.reason()).isEqualTo(ExitReason.STOPPED);
              assertThat(e.exitCode()).isEqualTo(143);
            });
    assertThat(runtime.stop(id, Duration.ZERO)).hasValue(status);
  }

  @Test
  void stopKillsAProgramThatIgnoresTermAfterTheGracePeriod() {
    InstanceId id = newId("stubborn");
    started(runtime, shell(id, "trap '' TERM; echo ready; while true; do sleep 1; done").build());
    Awaitility.await()
        .until(() -> runtime.readLog(id, LogStream.STDOUT, 100).orElseThrow().contains("ready"));

    long before = System.nanoTime();
    InstanceStatus status = runtime.stop(id, Duration.ofMillis(300)).orElseThrow();

    assertThat(Duration.ofNanos(System.nanoTime() - before))
        .isBetween(Duration.ofMillis(300), Duration.ofSeconds(5));
    assertThat(((InstanceState.Exited) status.state()).reason()).isEqualTo(ExitReason.STOPPED);
  }

  @Test
  void restartsAFailingProgramUpToThePolicysLimit() throws Exception {
    InstanceId id = newId("restart");
    LaunchSpec spec =
        shell(id, "echo run >> /work/runs; exit 3").restart(RestartPolicy.onFailure(2)).build();
    started(runtime, spec);

    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                runtime.status(id).orElseThrow().restarts() == 2
                    && !runtime.status(id).orElseThrow().running());
    Thread.sleep(1200); // no third restart may follow

    Path runs = state.resolve("instances").resolve(id.value()).resolve("work/runs");
    assertThat(Files.readAllLines(runs)).containsExactly("run", "run", "run");
    assertThat(((InstanceState.Exited) runtime.status(id).orElseThrow().state()).exitCode())
        .isEqualTo(3);
  }

  @Test
  void listenerSeesLaunchThenExitInOrder() {
    List<InstanceStatus> seen = new CopyOnWriteArrayList<>();
    InstanceId id = newId("events");
    Subscription subscription = runtime.subscribe(seen::add);
    started(runtime, shell(id, "exit 4").build());
    Awaitility.await().until(() -> seen.size() == 2);
    subscription.close();

    assertThat(seen.get(0).state()).isInstanceOf(InstanceState.Running.class);
    assertThat(seen.get(1).state())
        .isInstanceOfSatisfying(
            InstanceState.Exited.class, e -> assertThat(e.exitCode()).isEqualTo(4));
  }

  @Test
  void removeDeletesTheInstanceSoItsIdCanStartAgain() {
    InstanceId id = newId("remove");
    LaunchSpec spec = shell(id, "exec sleep 30").build();
    started(runtime, spec);

    assertThat(runtime.remove(id)).isTrue();

    assertThat(runtime.status(id)).isEmpty();
    assertThat(state.resolve("instances").resolve(id.value())).doesNotExist();
    assertThat(runtime.remove(id)).isFalse();
    assertThat(runtime.start(spec)).isInstanceOf(StartResult.Started.class);
  }
}
