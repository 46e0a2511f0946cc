package io.wetee.cli.devnet;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code wetee worker run --config F} as its own process (the CLI's class path), for the SIGKILL
 * tests: started, killed with SIGKILL, started again over the same data directory.
 */
final class WorkerProcess implements AutoCloseable {
  private static final Pattern RUNNING = Pattern.compile("worker (\\d+) running");
  private final Path config;
  private final Path out;
  private Process process;

  WorkerProcess(Path dir, Path deploymentFile, int account) throws Exception {
    Files.createDirectories(dir);
    config = dir.resolve("worker.yaml");
    out = dir.resolve("worker.out");
    Files.writeString(
        config,
        """
        deployment: %s
        dataDir: data
        account: { devAccount: %d }
        register: { name: killable, capacity: { cpu: 4000, memory: 8192, disk: 100 } }
        listen: { host: 127.0.0.1, port: 0 }
        proxy: { portFrom: 21500, portTo: 21599 }
        passphrase: worker-process-it
        chain: { pollMillis: 200 }
        """
            .formatted(deploymentFile, account));
  }

  /**
   * A worker with its own config file: {@code configYaml} is the whole {@code worker.yaml} in
   * {@code dir}; its {@code dataDir} must be {@code data} ({@link #dataDir()}).
   */
  WorkerProcess(Path dir, String configYaml) throws Exception {
    Files.createDirectories(dir);
    config = dir.resolve("worker.yaml");
    out = dir.resolve("worker.out");
    Files.writeString(config, configYaml);
  }

  /** Starts the process and waits for its banner; answers the worker id. */
  long start() throws Exception {
    String cp = "target/classes" + File.pathSeparator + "target/lib/*";
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    Files.deleteIfExists(out);
    process =
        new ProcessBuilder(
                java,
                "-cp",
                cp,
                "io.wetee.cli.Main",
                "worker",
                "run",
                "--config",
                config.toString())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      String text = Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
      Matcher m = RUNNING.matcher(text);
      if (m.find()) {
        return Long.parseLong(m.group(1));
      }
      if (!process.isAlive()) {
        throw new AssertionError("worker exited " + process.exitValue() + ":\n" + text);
      }
      Thread.sleep(100);
    }
    throw new AssertionError("worker did not start: " + Files.readString(out));
  }

  /** SIGKILL: no shutdown hook runs. */
  void kill() throws Exception {
    process.destroyForcibly();
    process.waitFor();
  }

  /** What the process printed (for assertion messages). */
  String output() throws java.io.IOException {
    return Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
  }

  Path dataDir() {
    return config.getParent().resolve("data");
  }

  @Override
  public void close() throws java.io.IOException {
    if (process != null && process.isAlive()) {
      process.destroy();
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    // Instances outlive their worker by design; a test leaves none behind.
    if (Files.isDirectory(dataDir().resolve("runtime"))) {
      try (var r =
          io.wetee.worker.Runtimes.local(
              io.wetee.worker.LocalRuntimeConfig.defaults(dataDir().resolve("runtime")))) {
        r.list().forEach(s -> r.remove(s.id()));
      }
    }
  }
}
