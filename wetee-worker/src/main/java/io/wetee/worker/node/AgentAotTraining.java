package io.wetee.worker.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training run of the agent's AOT cache (JEP 483/514): {@code java <agent options>
 * -XX:AOTCacheOutput=F -cp <staged class path> io.wetee.agent.AgentTraining}, at low priority, its
 * output in {@code agent-aot/training.log}. The cache is named by a fingerprint of the java binary,
 * the options and every staged entry (name, size, time), so a restarted worker with the same files
 * reuses it, and anything else gets a new one. {@code -Xshare:auto} (the default) is left out: the
 * JVM refuses it next to {@code -XX:AOTCacheOutput} and {@code -XX:AOTCache}.
 */
final class AgentAotTraining {
  private static final Logger LOG = LoggerFactory.getLogger(AgentAotTraining.class);
  private static final Duration TRAINING_TIMEOUT = Duration.ofMinutes(3);

  private AgentAotTraining() {}

  /** {@code options} without {@code -Xshare:auto}. */
  static List<String> withoutDefaultSharing(List<String> options) {
    return options.stream().filter(o -> !o.equals("-Xshare:auto")).toList();
  }

  /**
   * The cache for the class path staged in {@code agentDir} ({@code names} in order), {@code java}
   * and {@code javaOptions}: {@code agent-aot/<fingerprint>.aot} beside {@code agentDir} when a
   * training run made it before (completed at once), else a training run in the background (agents
   * launched meanwhile start without the cache). Empty when the options already choose a cache or
   * sharing, or when the training fails (a JVM without AOT support).
   */
  static CompletableFuture<Optional<Path>> cache(
      Path agentDir, List<String> names, String java, List<String> javaOptions) {
    for (String o : javaOptions) {
      if (o.startsWith("-XX:AOTCache")
          || o.startsWith("-XX:AOTMode")
          || o.startsWith("-XX:SharedArchiveFile")
          || (o.startsWith("-Xshare:") && !o.equals("-Xshare:auto"))) {
        return CompletableFuture.completedFuture(Optional.empty());
      }
    }
    Path dir = agentDir.resolveSibling("agent-aot");
    Path cache;
    try {
      Files.createDirectories(dir);
      AgentStaging.open(dir);
      cache = dir.resolve(fingerprint(agentDir, names, java, javaOptions) + ".aot");
    } catch (IOException e) {
      LOG.warn("agent AOT cache skipped: {}", e.toString());
      return CompletableFuture.completedFuture(Optional.empty());
    }
    if (Files.isRegularFile(cache)) {
      return CompletableFuture.completedFuture(Optional.of(cache));
    }
    List<String> cp = names.stream().map(n -> agentDir.resolve(n).toString()).toList();
    CompletableFuture<Optional<Path>> done = new CompletableFuture<>();
    Thread.ofVirtual()
        .name("agent-aot-training")
        .start(() -> done.complete(train(agentDir, cp, java, javaOptions, cache)));
    return done;
  }

  private static Optional<Path> train(
      Path agentDir, List<String> cp, String java, List<String> javaOptions, Path cache) {
    Path tmp = cache.resolveSibling(cache.getFileName() + ".tmp");
    Path log = cache.resolveSibling("training.log");
    List<String> cmd = command(cp, java, javaOptions, tmp);
    long t0 = System.nanoTime();
    Process p = null;
    Thread hook = null;
    try {
      Files.deleteIfExists(tmp);
      ProcessBuilder pb = new ProcessBuilder(cmd).directory(agentDir.toFile());
      pb.environment().keySet().removeIf(k -> !k.equals("PATH") && !k.equals("LANG"));
      pb.redirectErrorStream(true).redirectOutput(log.toFile());
      p = pb.start();
      hook = killOnExit(p);
      if (!p.waitFor(TRAINING_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn(
            "agent AOT training timed out after {}; agents start without a cache",
            TRAINING_TIMEOUT);
        return Optional.empty();
      }
      if (p.exitValue() != 0 || !Files.isRegularFile(tmp)) {
        LOG.warn(
            "agent AOT training failed (exit {}, see {}); agents start without a cache",
            p.exitValue(),
            log);
        return Optional.empty();
      }
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
      Files.move(tmp, cache, StandardCopyOption.ATOMIC_MOVE);
      LOG.info(
          "agent AOT cache ready after {} ms: {}", (System.nanoTime() - t0) / 1_000_000, cache);
      return Optional.of(cache);
    } catch (IOException e) {
      LOG.warn("agent AOT training could not run: {}; agents start without a cache", e.toString());
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } finally {
      if (p != null && p.isAlive()) {
        kill(p);
      }
      if (hook != null) {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // the hook runs now
        }
      }
    }
  }

  /** The training process ends with the worker's JVM (it would otherwise run on for a minute). */
  private static Thread killOnExit(Process p) {
    Thread hook = new Thread(() -> kill(p), "agent-aot-training-kill");
    Runtime.getRuntime().addShutdownHook(hook);
    return hook;
  }

  private static void kill(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
  }

  private static List<String> command(
      List<String> cp, String java, List<String> javaOptions, Path output) {
    List<String> cmd = new ArrayList<>();
    if (Files.isExecutable(Path.of("/usr/bin/nice"))) {
      cmd.addAll(List.of("/usr/bin/nice", "-n", "10"));
    }
    cmd.add(java);
    cmd.addAll(withoutDefaultSharing(javaOptions));
    cmd.add("-XX:AOTCacheOutput=" + output);
    cmd.add("-cp");
    cmd.add(String.join(":", cp));
    cmd.add("io.wetee.agent.AgentTraining");
    return cmd;
  }

  /** SHA-256 over the java binary, the options and every staged entry's name, size and time. */
  private static String fingerprint(
      Path agentDir, List<String> names, String java, List<String> javaOptions) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    Path bin = Path.of(java);
    StringBuilder b = new StringBuilder(java).append('\n');
    if (Files.exists(bin)) {
      Path real = bin.toRealPath();
      b.append(real).append(' ').append(Files.size(real)).append(' ');
      b.append(Files.getLastModifiedTime(real).toMillis()).append('\n');
    }
    b.append(String.join(" ", javaOptions)).append('\n');
    for (String n : names) {
      Path f = agentDir.resolve(n);
      b.append(n).append(' ').append(Files.size(f)).append(' ');
      b.append(Files.getLastModifiedTime(f).toMillis()).append('\n');
    }
    return HexFormat.of().formatHex(md.digest(b.toString().getBytes(StandardCharsets.UTF_8)));
  }
}
