package io.wetee.worker.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.wetee.worker.LocalRuntimeConfig;
import io.wetee.worker.Runtimes;
import io.wetee.worker.spi.Enforcement.Mechanism;
import io.wetee.worker.spi.ExitReason;
import io.wetee.worker.spi.ImageRoot;
import io.wetee.worker.spi.InstanceId;
import io.wetee.worker.spi.InstanceState;
import io.wetee.worker.spi.InstanceStatus;
import io.wetee.worker.spi.LaunchSpec;
import io.wetee.worker.spi.Limits;
import io.wetee.worker.spi.LogStream;
import io.wetee.worker.spi.StartRefusal;
import io.wetee.worker.spi.StartResult;
import io.wetee.worker.spi.WorkloadRuntime;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Image instances on the local runtime, run by real runc over a busybox-static root filesystem:
 * serving, exit codes, limits, the read-only shared root, isolation from the worker's files,
 * adoption after a runtime restart, and the host JVM running inside an image without a C library.
 */
class RuncRuntimeTest {
  private static final String DIGEST = "sha256:" + "ab".repeat(32);
  private static final AtomicInteger SEQUENCE = new AtomicInteger();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @TempDir static Path images;
  static Path rootfs;
  @TempDir Path state;
  WorkloadRuntime runtime;

  @BeforeAll
  static void image() throws Exception {
    assumeTrue(BusyboxRootfs.available(), "the Debian package busybox-static is needed");
    assumeTrue(ProcessHandle.current().info().user().orElse("").equals("root"), "runc needs root");
    rootfs = BusyboxRootfs.create(images, "hello from the image\n");
  }

  @BeforeEach
  void open() {
    runtime = Runtimes.local(LocalRuntimeConfig.defaults(state));
  }

  @AfterEach
  void close() {
    if (runtime != null) {
      runtime.list().forEach(s -> runtime.remove(s.id()));
      runtime.close();
    }
  }

  static InstanceId newId(String prefix) {
    return InstanceId.of(
        prefix + "-" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet());
  }

  static LaunchSpec.Builder image(InstanceId id, String... command) {
    return imageAs("", id, command);
  }

  /** An instance of the busybox image with {@code User} = {@code user}. */
  static LaunchSpec.Builder imageAs(String user, InstanceId id, String... command) {
    return LaunchSpec.builder(id, "w1", 1)
        .image(new ImageRoot("127.0.0.1:5000/busybox@" + DIGEST, DIGEST, Optional.of(rootfs), user))
        .command(command);
  }

  static LaunchSpec.Builder shell(InstanceId id, String script) {
    return image(id, "/bin/sh", "-c", script);
  }

  InstanceStatus started(LaunchSpec spec) {
    StartResult result = runtime.start(spec);
    assertThat(result).isInstanceOf(StartResult.Started.class);
    return ((StartResult.Started) result).status();
  }

  InstanceState.Exited awaitExit(InstanceId id) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> runtime.status(id).map(s -> !s.running()).orElse(false));
    return (InstanceState.Exited) runtime.status(id).orElseThrow().state();
  }

  String logs(InstanceId id) {
    return stdout(id)
        + "\n--- stderr:\n"
        + runtime.readLog(id, LogStream.STDERR, 10_000).orElse("");
  }

  String stdout(InstanceId id) {
    return runtime.readLog(id, LogStream.STDOUT, 100_000).orElseThrow();
  }

  static String get(int port) throws IOException, InterruptedException {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/index.html"))
            .timeout(Duration.ofSeconds(2))
            .build();
    HttpResponse<String> resp = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
    return resp.statusCode() + " " + resp.body();
  }

  static String awaitServing(int port) {
    return Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptions()
        .until(() -> get(port), body -> body.startsWith("200 "));
  }

  LaunchSpec httpd(InstanceId id) {
    return shell(id, "exec httpd -f -p 127.0.0.1:$PORT -h /www").port(8080).build();
  }

  @Test
  void servesOnItsPortUntilStopped() throws Exception {
    InstanceId id = newId("serve");
    InstanceStatus status = started(httpd(id));
    int port = status.hostPort(8080);

    assertThat(awaitServing(port)).isEqualTo("200 hello from the image\n");
    assertThat(runtime.start(httpd(id))).isInstanceOf(StartResult.Existing.class);

    InstanceStatus stopped = runtime.stop(id, Duration.ofSeconds(2)).orElseThrow();
    assertThat(stopped.state()).isInstanceOf(InstanceState.Exited.class);
    assertThat(((InstanceState.Exited) stopped.state()).reason()).isEqualTo(ExitReason.STOPPED);
    assertThat(runtime.stop(id, Duration.ZERO)).isPresent();
    org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> get(port));
    assertThat(runtime.remove(id)).isTrue();
    assertThat(runtime.remove(id)).isFalse();
  }

  @Test
  void reportsExitCodesAndCapturesBothStreams() {
    InstanceId failing = newId("exit");
    InstanceId ok = newId("exit");
    started(shell(failing, "echo to-out; echo to-err >&2; exit 7").build());
    started(shell(ok, "exit 0").build());

    assertThat(awaitExit(failing))
        .extracting(InstanceState.Exited::exitCode, InstanceState.Exited::reason)
        .containsExactly(7, ExitReason.FAILED);
    assertThat(awaitExit(ok).reason()).isEqualTo(ExitReason.COMPLETED);
    assertThat(stdout(failing)).isEqualTo("to-out\n");
    assertThat(runtime.readLog(failing, LogStream.STDERR, 1000)).hasValue("to-err\n");
  }

  @Test
  void rootIsReadOnlyAndTheSharedImageIsNeverWritten() throws Exception {
    List<String> before = tree(rootfs);
    InstanceId id = newId("ro");
    String script =
        """
        echo x > /x 2>/dev/null && echo root-writable || echo root-read-only
        echo x > /bin/x 2>/dev/null && echo image-writable || echo image-read-only
        echo w > /work/w && cat /work/w
        echo t > /tmp/t && cat /tmp/t
        mkdir /sys/fs/cgroup/x 2>/dev/null && echo sys-writable || echo sys-read-only
        ls -A /sys/fs/cgroup /sys/kernel/debug 2>/dev/null | grep -c '^[a-z]'
        ls /sys/kernel | grep -c '^mm$'
        """;
    started(shell(id, script).build());

    assertThat(awaitExit(id).reason()).as(logs(id)).isEqualTo(ExitReason.COMPLETED);
    // /sys is the host's, read-only, with the host's cgroup tree and kernel interfaces masked.
    assertThat(stdout(id))
        .isEqualTo("root-read-only\nimage-read-only\nw\nt\nsys-read-only\n0\n1\n");
    assertThat(tree(rootfs)).isEqualTo(before);
  }

  @Test
  void seesOnlyTheImageAndItsOwnDirectories() throws Exception {
    Path secret = state.resolve("worker.key");
    Files.writeString(secret, "top secret");
    InstanceId id = newId("iso");
    String script =
        "id -u; cat /proc/self/uid_map; ls -a /; cat "
            + secret
            + " 2>/dev/null || echo no-key; ls /proc | grep -c '^[0-9]'; cat /proc/self/status"
            + " | grep CapEff";
    started(shell(id, script).build());

    assertThat(awaitExit(id).reason()).isEqualTo(ExitReason.COMPLETED);
    List<String> lines = stdout(id).lines().toList();
    // An image without User runs as root of its own user namespace, which is the instance's
    // unprivileged host uid (and has no capability).
    assertThat(lines.get(0)).isEqualTo("0");
    assertThat(hostIdOf(stdout(id), 0)).isGreaterThanOrEqualTo(200_000);
    assertThat(lines)
        .contains("no-key", "CapEff:\t0000000000000000")
        .contains("bin", "etc", "www", "work", "tmp", "proc", "dev", "sys", ".wetee")
        .doesNotContain("root", "home", "var", "top secret");
    // pid namespace: only the shell, ls/grep and cat run inside.
    int processes = Integer.parseInt(lines.get(lines.size() - 2));
    assertThat(processes).isLessThanOrEqualTo(4);
  }

  @Test
  void runsAsTheImagesNumericUserMappedToTheInstancesOwnHostUid() throws Exception {
    InstanceId id = newId("user");
    String script =
        """
        id -u; id -g
        cat /proc/self/uid_map /proc/self/gid_map
        echo w > /work/w && stat -c '%u:%g' /work/w
        echo t > /tmp/t && stat -c '%u:%g' /tmp/t
        stat -c '%u:%g' /bin/busybox
        """;
    started(imageAs("1000:1000", id, "/bin/sh", "-c", script).build());

    assertThat(awaitExit(id).reason()).as(logs(id)).isEqualTo(ExitReason.COMPLETED);
    String out = stdout(id);
    int hostUid = hostIdOf(out, 1000);
    assertThat(hostUid).isGreaterThanOrEqualTo(200_000);
    // Image files (owned by the host's root, unmapped) show as the overflow id inside.
    assertThat(out.lines().toList())
        .containsExactly(
            "1000",
            "1000",
            uidMapLine(1000, hostUid),
            uidMapLine(0, 65534),
            uidMapLine(1000, hostUid),
            uidMapLine(0, 65534),
            "1000:1000",
            "1000:1000",
            "65534:65534");
    // On the host the instance's files belong to its own uid, as without a User.
    Path written = state.resolve("instances").resolve(id.value()).resolve("work/w");
    assertThat(Files.getAttribute(written, "unix:uid")).isEqualTo(hostUid);
    assertThat(Files.getAttribute(written, "unix:gid")).isEqualTo(hostUid);
  }

  @Test
  void resolvesANamedUserAndGroupFromTheImagesAccountFiles() {
    InstanceId named = newId("named");
    InstanceId withGroup = newId("named");
    started(imageAs("app", named, "/bin/sh", "-c", "id -u; id -g; id -un").build());
    started(imageAs("app:staff", withGroup, "/bin/sh", "-c", "id -u; id -g").build());

    assertThat(awaitExit(named).reason()).as(logs(named)).isEqualTo(ExitReason.COMPLETED);
    assertThat(awaitExit(withGroup).reason()).as(logs(withGroup)).isEqualTo(ExitReason.COMPLETED);
    assertThat(stdout(named)).isEqualTo("1000\n1001\napp\n");
    assertThat(stdout(withGroup)).isEqualTo("1000\n50\n");
  }

  @Test
  void anImageFileOfTheImageUserWithOwnerOnlyModeIsUnreadableUntilIdmappedMounts()
      throws Exception {
    // The documented limit of the one-id mapping: on the host the file belongs to uid 1000 (the
    // layer's), which is not the instance's uid; a world-readable file of the image is fine.
    Path image = Files.createDirectories(images.resolve("owned/rootfs"));
    Files.createDirectories(image.resolve("bin"));
    Files.copy(rootfs.resolve("bin/busybox"), image.resolve("bin/busybox"));
    Files.createSymbolicLink(image.resolve("bin/sh"), Path.of("busybox"));
    Files.createSymbolicLink(image.resolve("bin/cat"), Path.of("busybox"));
    Files.setPosixFilePermissions(
        image.resolve("bin"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createDirectories(image.resolve("data"));
    Path secret = Files.writeString(image.resolve("data/mine"), "mine\n");
    Path shared = Files.writeString(image.resolve("data/shared"), "shared\n");
    for (Path p : List.of(secret, shared)) {
      Files.setAttribute(p, "unix:uid", 1000);
      Files.setAttribute(p, "unix:gid", 1000);
    }
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rw-r--r--"));
    for (Path p = image; p.startsWith(images); p = p.getParent()) {
      BusyboxRootfs.open(p);
    }
    Files.setPosixFilePermissions(
        image.resolve("data"), PosixFilePermissions.fromString("rwxr-xr-x"));
    InstanceId id = newId("owned");
    LaunchSpec spec =
        LaunchSpec.builder(id, "w1", 1)
            .image(
                new ImageRoot("127.0.0.1:5000/owned@" + DIGEST, DIGEST, Optional.of(image), "1000"))
            .command("/bin/sh", "-c", "cat /data/shared; cat /data/mine 2>/dev/null || echo denied")
            .build();
    started(spec);

    assertThat(awaitExit(id).reason()).as(logs(id)).isEqualTo(ExitReason.COMPLETED);
    assertThat(stdout(id)).isEqualTo("shared\ndenied\n");
  }

  @Test
  void anUnknownImageUserIsRefusedNamingItAndNeverRunsAsRoot() {
    InstanceId id = newId("ghost");
    StartResult result = runtime.start(imageAs("ghost", id, "/bin/sh", "-c", "id -u").build());

    assertThat(result)
        .isInstanceOfSatisfying(
            StartResult.Refused.class,
            r -> {
              assertThat(r.reason()).isEqualTo(StartRefusal.IMAGE_USER_UNKNOWN);
              assertThat(r.detail())
                  .isEqualTo("image User \"ghost\": no user \"ghost\" in the image's /etc/passwd");
            });
    assertThat(runtime.status(id)).isEmpty();
    assertThat(state.resolve("instances").resolve(id.value())).doesNotExist();
  }

  @Test
  void instancesOfTheSameImageUserStayIsolatedFromEachOtherAndTheWorker() throws Exception {
    Path secret = state.resolve("worker.key");
    Files.writeString(secret, "top secret");
    InstanceId victim = newId("victim");
    started(
        imageAs(
                "1000:1000",
                victim,
                "/bin/sh",
                "-c",
                "echo private-data > /work/private.txt; exec sleep 30")
            .build());
    Path victimFile =
        state.resolve("instances").resolve(victim.value()).resolve("work/private.txt");
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(victimFile));
    InstanceId intruder = newId("intruder");
    String script =
        String.join(
            "; ",
            "id -u",
            "cat /proc/self/uid_map",
            "cat " + victimFile + " " + secret + " 2>/dev/null || echo not-visible",
            "ls /proc | grep -c '^[0-9]'",
            "kill -9 $(pidof sleep) 2>/dev/null || echo no-sleep-visible");
    started(imageAs("1000:1000", intruder, "/bin/sh", "-c", script).build());
    awaitExit(intruder);

    String out = stdout(intruder);
    assertThat(out)
        .doesNotContain("private-data", "top secret")
        .contains("not-visible", "no-sleep-visible");
    assertThat(out.lines().findFirst()).hasValue("1000");
    // Same uid inside, different host uids: the victim's file is the victim's alone on the host.
    int intruderUid = hostIdOf(out, 1000);
    int victimUid = (Integer) Files.getAttribute(victimFile, "unix:uid");
    assertThat(victimUid).isGreaterThanOrEqualTo(200_000).isNotEqualTo(intruderUid);
    assertThat(runtime.status(victim).orElseThrow().running()).isTrue();
  }

  /** The host id a {@code /proc/self/uid_map} print-out maps {@code inside} to. */
  static int hostIdOf(String output, int inside) {
    return output
        .lines()
        .map(String::trim)
        .map(l -> l.split("\\s+"))
        .filter(f -> f.length == 3 && f[0].equals(Integer.toString(inside)) && f[2].equals("1"))
        .map(f -> Integer.parseInt(f[1]))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no mapping of " + inside + " in:\n" + output));
  }

  static String uidMapLine(int inside, int host) {
    return String.format("%10d %10d %10d", inside, host, 1);
  }

  @Test
  void limitsAreEnforcedInTheContainer() {
    assumeTrue(runtime.enforcement().processes() != Mechanism.NONE, "no process limit here");
    assumeTrue(
        runtime.enforcement().memory() == Mechanism.CGROUP_V1
            || runtime.enforcement().memory() == Mechanism.CGROUP_V2,
        "memory is not limited by a cgroup: " + runtime.enforcement().detail());
    // 20 background sleeps: the shell dies on the first fork the pids limit refuses.
    String forks = "for i in $(seq 20); do sleep 5 & done; echo forked-all";
    InstanceId capped = newId("pids");
    InstanceId free = newId("pids");
    started(shell(capped, forks).limits(Limits.DEFAULT.withMaxProcesses(8)).build());
    started(shell(free, forks).limits(Limits.DEFAULT.withMaxProcesses(64)).build());
    InstanceId mem = newId("mem");
    String fill = "dd if=/dev/zero of=/tmp/fill bs=1M count=200 2>/dev/null; echo survived";
    Limits small = Limits.DEFAULT.withMemoryBytes(48L << 20).withTmpBytes(512L << 20);
    started(shell(mem, fill).limits(small).build());

    assertThat(awaitExit(free).reason()).as(logs(free)).isEqualTo(ExitReason.COMPLETED);
    assertThat(stdout(free)).isEqualTo("forked-all\n");
    assertThat(awaitExit(capped).reason()).as(logs(capped)).isEqualTo(ExitReason.FAILED);
    assertThat(stdout(capped)).doesNotContain("forked-all");
    assertThat(runtime.readLog(capped, LogStream.STDERR, 10_000).orElseThrow())
        .contains("can't fork");
    InstanceState.Exited oom = awaitExit(mem);
    assertThat(oom.reason()).as(logs(mem)).isEqualTo(ExitReason.OOM_KILLED);
    assertThat(stdout(mem)).doesNotContain("survived");
  }

  @Test
  void aRestartedRuntimeAdoptsRunningContainersAndKnowsTheExitOfEndedOnes() throws Exception {
    InstanceId serving = newId("adopt");
    InstanceId ending = newId("adopt");
    int port = started(httpd(serving)).hostPort(8080);
    started(shell(ending, "sleep 1; exit 3").build());
    awaitServing(port);
    runtime.close();

    Thread.sleep(1500);
    runtime = Runtimes.local(LocalRuntimeConfig.defaults(state));
    InstanceStatus adopted = runtime.status(serving).orElseThrow();
    assertThat(adopted.state())
        .isInstanceOfSatisfying(InstanceState.Running.class, r -> assertThat(r.adopted()).isTrue());
    assertThat(adopted.hostPort(8080)).isEqualTo(port);
    assertThat(get(port)).startsWith("200 ");
    assertThat(runtime.start(httpd(serving))).isInstanceOf(StartResult.Existing.class);
    assertThat(awaitExit(ending))
        .extracting(InstanceState.Exited::exitCode, InstanceState.Exited::reason)
        .containsExactly(3, ExitReason.FAILED);

    runtime.stop(serving, Duration.ofSeconds(1));
    assertThat(((InstanceState.Exited) runtime.status(serving).orElseThrow().state()).reason())
        .isEqualTo(ExitReason.STOPPED);
  }

  @Test
  void theHostJvmRunsInAnImageWithoutCLibraryAndStartsTheImagesProgram(@TempDir Path app)
      throws Exception {
    Path classes = app.resolve("io/wetee/worker/oci");
    Files.createDirectories(classes);
    try (var in = SpawnHttpd.class.getResourceAsStream("SpawnHttpd.class")) {
      Files.copy(in, classes.resolve("SpawnHttpd.class"));
    }
    for (Path p = classes; p.startsWith(app); p = p.getParent()) {
      BusyboxRootfs.open(p);
    }
    List<String> command = new java.util.ArrayList<>(ImageMounts.javaCommand());
    command.addAll(
        List.of(
            "-Xmx48m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-XX:-UsePerfData",
            "-cp",
            ImageMounts.APP,
            SpawnHttpd.class.getName()));
    InstanceId id = newId("jvm");
    int port =
        started(image(id, command.toArray(String[]::new)).appDir(app).port(8080).build())
            .hostPort(8080);

    assertThat(awaitServing(port)).isEqualTo("200 hello from the image\n");
    // httpd may answer before the JVM's line about starting it reaches the log.
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> stdout(id).contains("httpd pid"));
    assertThat(stdout(id)).contains("in " + ImageMounts.JDK, "jvm LD_LIBRARY_PATH=null");
    runtime.stop(id, Duration.ofSeconds(5));
  }

  @Test
  void anImageWithoutRootOnThisHostIsRefused() {
    InstanceId id = newId("noroot");
    LaunchSpec spec =
        LaunchSpec.builder(id, "w1", 1)
            .image(
                new ImageRoot(
                    "127.0.0.1:5000/x@" + DIGEST, DIGEST, Optional.of(images.resolve("absent"))))
            .command("/bin/sh")
            .build();
    assertThat(runtime.start(spec))
        .isInstanceOfSatisfying(
            StartResult.Refused.class,
            r -> assertThat(r.reason()).isEqualTo(StartRefusal.IMAGE_UNAVAILABLE));
  }

  private static List<String> tree(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.map(p -> root.relativize(p) + " " + p.toFile().length()).sorted().toList();
    }
  }
}
