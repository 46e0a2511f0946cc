package io.wetee.cli.devnet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wetee.chain.HardhatNode;
import io.wetee.cli.CliRun;
import io.wetee.cli.ExitCodes;
import io.wetee.common.Json;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code wetee devnet} as a separate process, as a user would, registers a worker from "a
 * second terminal" (the CLI in this JVM), checks a second devnet on the same port is refused, and
 * stops the first with SIGTERM (what Ctrl-C sends to the foreground group).
 */
class DevnetIT {
  @TempDir Path dir;

  @Test
  void devnetRunsRegistersAWorkerRefusesASecondInstanceAndStopsCleanly() throws Exception {
    int port = HardhatNode.freePort();
    Process devnet = start(port, dir.resolve("one"), dir.resolve("one.out"));
    try {
      String banner =
          awaitOutput(
              dir.resolve("one.out"), "Press Ctrl-C to stop.", Duration.ofSeconds(180), devnet);
      assertThat(banner)
          .contains("WeTEE devnet is running.", "http://127.0.0.1:" + port, "#1  user");
      String deployment = dir.resolve("one/deployment.json").toString();

      CliRun reg =
          CliRun.of(
              "--deployment",
              deployment,
              "--account",
              "1",
              "worker",
              "register",
              "--name",
              "w1",
              "--endpoint",
              "http://127.0.0.1:7000",
              "--region",
              "0",
              "--level",
              "0",
              "--tee",
              "SIMULATED",
              "--cpu",
              "4000",
              "--memory",
              "8192",
              "--disk",
              "100",
              "--stake",
              "1");
      assertThat(reg.exitCode()).as(reg.err()).isZero();
      JsonNode workers =
          Json.lenient()
              .readTree(CliRun.of("--deployment", deployment, "worker", "list", "--json").out());
      // The devnet's own worker (account 14) registered first; the user's is the second.
      assertThat(workers).hasSize(2);
      assertThat(workers.get(0).get("name").asText()).isEqualTo("devnet-worker");
      assertThat(workers.get(1).get("name").asText()).isEqualTo("w1");
      assertThat(workers.get(1).get("active").asBoolean()).isTrue();

      Process second = start(port, dir.resolve("two"), dir.resolve("two.out"));
      assertThat(second.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(second.exitValue()).isEqualTo(ExitCodes.REMOTE);
      assertThat(Files.readString(dir.resolve("two.out")))
          .contains(
              "port " + port + " on 127.0.0.1 is already in use (is a devnet already running?)");
    } finally {
      devnet.destroy();
      assertThat(devnet.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(Files.readString(dir.resolve("one.out"))).contains("Devnet stopped.");
    assertThat(dir.resolve("one/deployment.json")).doesNotExist();
    assertThat(portFree(port)).isTrue();
  }

  private static Process start(int port, Path home, Path out) throws IOException {
    Path root =
        Paths.get(System.getProperty("wetee.contracts.dir", "../contracts"))
            .toAbsolutePath()
            .getParent();
    String cp = "target/classes" + File.pathSeparator + "target/lib/*";
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
            List.of(
                java,
                "-cp",
                cp,
                "io.wetee.cli.Main",
                "devnet",
                "--dir",
                home.toString(),
                "--port",
                String.valueOf(port)));
    pb.environment().put("WETEE_HOME", root.toString());
    pb.redirectErrorStream(true);
    pb.redirectOutput(out.toFile());
    return pb.start();
  }

  private static String awaitOutput(Path file, String marker, Duration timeout, Process p)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
      if (text.contains(marker)) {
        return text;
      }
      if (!p.isAlive()) {
        throw new AssertionError("devnet exited " + p.exitValue() + ":\n" + text);
      }
      Thread.sleep(200);
    }
    throw new AssertionError("devnet did not print '" + marker + "' within " + timeout);
  }

  private static boolean portFree(int port) {
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
