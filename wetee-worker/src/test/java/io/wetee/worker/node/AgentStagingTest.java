package io.wetee.worker.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The staged agent: class directories packed into stable jars, and the AOT cache trained once per
 * class path, linked into program directories, and really used by a JVM that sees the class path
 * under the sandbox's other prefix ({@code /app/.wetee-agent/} there, the program directory here).
 */
class AgentStagingTest {
  private static final List<String> OPTIONS =
      new WorkerConfig.Agent(null, null, null, null, null, null).javaOptions();

  @TempDir Path dir;

  @Test
  void packsClassDirectoriesIntoJarsThatAreTheSameOnEveryStaging() throws IOException {
    List<Path> cp = snapshot();
    AgentStaging.stage(dir.resolve("a"), cp);
    AgentStaging.stage(dir.resolve("b"), cp);
    List<Path> a = listing(dir.resolve("a/agent"));
    assertThat(a).isNotEmpty().allMatch(Files::isRegularFile);
    assertThat(a.stream().map(p -> p.getFileName().toString()))
        .anyMatch(n -> n.endsWith("-test-classes.jar"));
    for (Path p : a) {
      Path q = dir.resolve("b/agent").resolve(p.getFileName());
      assertThat(Files.mismatch(p, q)).as(p.toString()).isEqualTo(-1L);
      assertThat(Files.getLastModifiedTime(q)).isEqualTo(Files.getLastModifiedTime(p));
    }
  }

  @Test
  void trainsTheAotCacheOnceAndAgentsInAProgramDirectoryLoadTheirClassesFromIt() throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    Path data = dir.resolve("data");
    List<Path> classPath = snapshot();
    AgentStaging s = AgentStaging.stage(data, classPath);
    Path bundle = Files.createDirectories(dir.resolve("bundle"));
    Files.writeString(bundle.resolve("server.py"), "print('hi')\n");
    Path app = s.appDir("ab".repeat(32), bundle); // composed before the cache exists
    assertThat(s.sandboxAotCache(app)).isEmpty();
    assertThat(s.jvmOptions(OPTIONS, app)).isEqualTo(OPTIONS);

    assertThat(s.trainAotCache(java, OPTIONS).get(4, TimeUnit.MINUTES))
        .as(() -> trainingLog(data))
        .isTrue();
    assertThat(s.sandboxAotCache(app)).contains("/app/.wetee-agent/agent.aot");
    Path linked = app.resolve(".wetee-agent/agent.aot");
    assertThat(Files.isSameFile(linked, s.aotCache().orElseThrow())).isTrue();
    // Sandboxes run under other uids: they may read the cache, never write it.
    assertThat(Files.getPosixFilePermissions(linked))
        .contains(PosixFilePermission.OTHERS_READ)
        .doesNotContain(PosixFilePermission.OTHERS_WRITE, PosixFilePermission.GROUP_WRITE);

    // The agent as the sandbox starts it: the class path inside the program directory.
    String cp = s.sandboxClassPath().replace("/app/", app + "/");
    List<String> options = s.jvmOptions(OPTIONS, app);
    assertThat(options).contains("-XX:AOTCache=/app/.wetee-agent/agent.aot");
    List<String> cmd = new ArrayList<>(List.of(java));
    cmd.addAll(options.stream().filter(o -> !o.startsWith("-XX:AOTCache=")).toList());
    cmd.addAll(
        List.of(
            "-XX:AOTMode=on",
            "-XX:AOTCache=" + linked,
            "-Xlog:class+load=info",
            "-cp",
            cp,
            "io.wetee.agent.AgentTraining"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("io.wetee.agent.Agent source: shared objects file");

    // A restarted worker stages the same files again and reuses the cache without training.
    AgentStaging again = AgentStaging.stage(data, classPath);
    CompletableFuture<Boolean> reuse = again.trainAotCache(java, OPTIONS);
    assertThat(reuse.isDone()).isTrue();
    assertThat(reuse.get()).isTrue();
    // Options that choose their own sharing are left alone.
    assertThat(again.trainAotCache(java, List.of("-Xshare:off")).get()).isFalse();
  }

  @Test
  void aJvmWithoutAotSupportFailsTheTrainingAndAgentsStartWithoutACache() throws Exception {
    AgentStaging s = AgentStaging.stage(dir.resolve("data"));
    Path fake = dir.resolve("java");
    Files.writeString(fake, "#!/bin/sh\necho \"Unrecognized VM option '$1'\" >&2\nexit 1\n");
    fake.toFile().setExecutable(true);
    assertThat(s.trainAotCache(fake.toString(), OPTIONS).get(1, TimeUnit.MINUTES)).isFalse();
    assertThat(s.aotCache()).isEmpty();
    Path bundle = Files.createDirectories(dir.resolve("bundle"));
    assertThat(s.sandboxAotCache(s.appDir("cd".repeat(32), bundle))).isEmpty();
  }

  /**
   * A copy of this JVM's class path that no concurrent build changes (jars keep their times, class
   * directories are copied file by file), in its order.
   */
  private List<Path> snapshot() throws IOException {
    Path root = Files.createDirectories(dir.resolve("cp"));
    List<Path> out = new ArrayList<>();
    int n = 0;
    for (Path e : AgentStaging.classPathEntries()) {
      Path target = root.resolve(n++ + "-" + e.getFileName());
      if (Files.isDirectory(e)) {
        try (Stream<Path> walk = Files.walk(e)) {
          for (Path f : walk.toList()) {
            Path t = target.resolve(e.relativize(f).toString());
            if (Files.isDirectory(f)) {
              Files.createDirectories(t);
            } else {
              Files.copy(f, t, StandardCopyOption.COPY_ATTRIBUTES);
            }
          }
        }
      } else if (Files.isRegularFile(e)) {
        Files.copy(e, target, StandardCopyOption.COPY_ATTRIBUTES);
      } else {
        continue;
      }
      out.add(target);
    }
    return out;
  }

  private static String trainingLog(Path data) {
    try {
      return Files.readString(data.resolve("agent-aot/training.log"));
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static List<Path> listing(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.sorted().toList();
    }
  }
}
