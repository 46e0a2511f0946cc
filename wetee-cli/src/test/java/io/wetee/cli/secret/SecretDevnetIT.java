package io.wetee.cli.secret;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wetee.attestation.SimulatedPlatform;
import io.wetee.chain.ChainClient;
import io.wetee.chain.Deployment;
import io.wetee.chain.Fixtures;
import io.wetee.chain.HardhatNode;
import io.wetee.cli.CliRun;
import io.wetee.common.Hex;
import io.wetee.common.Json;
import io.wetee.common.spec.WorkloadSpec;
import io.wetee.crypto.Address;
import io.wetee.crypto.Bytes32;
import io.wetee.crypto.Keccak;
import io.wetee.crypto.PrivateKey;
import io.wetee.crypto.ReportData;
import io.wetee.secretnode.CommitteeKeys;
import io.wetee.secretnode.ReleaseOutcome;
import io.wetee.secretnode.ReleaseRequest;
import io.wetee.secretnode.SecretClient;
import java.io.File;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;

/**
 * {@code wetee devnet} as a separate process with its 4 secret nodes; the CLI (this JVM) checks
 * {@code committee status}, puts a secret, and an instance (this JVM) gets it released by the
 * devnet's nodes over HTTP on loopback.
 */
class SecretDevnetIT {
  @TempDir Path dir;

  @Test
  void devnetCommitteeComesUpHealthyAndReleasesASecretPutWithTheCli() throws Exception {
    int port = HardhatNode.freePort();
    Process devnet = start(port, dir.resolve("devnet"), dir.resolve("devnet.out"));
    try {
      await(dir.resolve("devnet.out"), "Press Ctrl-C to stop.", Duration.ofMinutes(3), devnet);
      long started = System.nanoTime();
      String deployment = dir.resolve("devnet/deployment.json").toString();
      JsonNode status = awaitHealthy(deployment, Duration.ofSeconds(60));
      long seconds = (System.nanoTime() - started) / 1_000_000_000L;
      assertThat(seconds).as("committee healthy after the banner, seconds").isLessThanOrEqualTo(30);
      assertThat(status.get("epoch").asLong()).isEqualTo(1);
      assertThat(status.get("quorum").asInt()).isEqualTo(3);
      assertThat(status.get("groupKey").asText()).matches("0x0[23][0-9a-f]{64}");
      assertThat(status.get("members")).hasSize(4);

      Path value = dir.resolve("value.txt");
      Files.writeString(value, "s3cr3t from the CLI\n");
      CliRun put =
          CliRun.of(
              "--deployment",
              deployment,
              "--account",
              "2",
              "secret",
              "put",
              "api-key",
              "--value-file",
              value.toString());
      assertThat(put.exitCode()).as(put.err()).isZero();
      assertThat(put.out()).contains("put secret api-key version 1");
      CliRun again =
          CliRun.of(
              "--deployment",
              deployment,
              "--account",
              "2",
              "secret",
              "put",
              "api-key",
              "--value-file",
              value.toString());
      assertThat(again.exitCode()).isEqualTo(2);
      JsonNode list =
          Json.lenient()
              .readTree(
                  CliRun.of(
                          "--deployment", deployment, "--account", "2", "secret", "list", "--json")
                      .out());
      assertThat(list.get(0).get("name").asText()).isEqualTo("api-key");

      Deployment d = Deployment.load(Path.of(deployment));
      assertThat(releaseOnce(d)).isEqualTo("s3cr3t from the CLI\n");

      CliRun rotate =
          CliRun.of(
              "--deployment",
              deployment,
              "--account",
              "2",
              "secret",
              "rotate",
              "api-key",
              "--value-file",
              value.toString());
      assertThat(rotate.out()).as(rotate.err()).contains("rotated secret api-key version 2");
      JsonNode rotated =
          Json.lenient()
              .readTree(
                  CliRun.of(
                          "--deployment", deployment, "--account", "2", "secret", "list", "--json")
                      .out());
      assertThat(rotated.get(0).get("version").asLong()).isEqualTo(2);
      CliRun delete =
          CliRun.of("--deployment", deployment, "--account", "2", "secret", "delete", "api-key");
      assertThat(delete.out()).as(delete.err()).contains("deleted secret api-key");
      assertThat(
              Json.lenient()
                  .readTree(
                      CliRun.of(
                              "--deployment",
                              deployment,
                              "--account",
                              "2",
                              "secret",
                              "list",
                              "--json")
                          .out()))
          .isEmpty();
    } finally {
      devnet.destroy();
      assertThat(devnet.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
  }

  private static String releaseOnce(Deployment d) throws Exception {
    SecureRandom rnd = new SecureRandom();
    try (ChainClient worker =
            ChainClient.connect(d, Optional.of(Credentials.create(d.account(1).privateKey())));
        ChainClient owner =
            ChainClient.connect(d, Optional.of(Credentials.create(d.account(2).privateKey())))) {
      SimulatedPlatform platform = SimulatedPlatform.generate(rnd);
      long workerId = Fixtures.registerSimulatedWorker(worker, platform.publicKey());
      byte[] spec =
          WorkloadSpec.parseYaml(
                  "name: x\nkind: service\ncontainers: [{name: a, image: b, secretEnv: {K: api-key}}]")
              .canonicalJson();
      long id = Fixtures.createService(owner, workerId, spec);
      PrivateKey instance = PrivateKey.generate(rnd);
      byte[] nonce = new byte[32];
      rnd.nextBytes(nonce);
      ReportData rd =
          new ReportData(
              BigInteger.valueOf(d.chainId()),
              Address.fromHex(d.address("Cloud")),
              id,
              1,
              instance.address(),
              Bytes32.of(nonce));
      byte[] evidence = platform.report(Keccak.keccak256(spec), rd.toBytes(), false, Instant.now());
      ReleaseRequest r =
          new ReleaseRequest(
              id,
              1,
              Hex.encode0x(instance.publicKey().encode()),
              Hex.encode0x(nonce),
              Hex.encode0x(evidence),
              Instant.now().getEpochSecond(),
              List.of(ReleaseRequest.SecretRef.named("api-key")));
      ReleaseOutcome out =
          SecretClient.create(Duration.ofSeconds(5))
              .release(
                  SecretClient.Network.of(d),
                  r,
                  instance,
                  CommitteeKeys.active(owner).orElseThrow().key(),
                  SecretClient.members(owner));
      assertThat(out).as(String.valueOf(out)).isInstanceOf(ReleaseOutcome.Released.class);
      return new String(((ReleaseOutcome.Released) out).value("api-key"), StandardCharsets.UTF_8);
    }
  }

  private static JsonNode awaitHealthy(String deployment, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      CliRun s = CliRun.of("--deployment", deployment, "committee", "status", "--json");
      if (s.exitCode() == 0) {
        last = Json.lenient().readTree(s.out());
        boolean ok = !last.get("groupKey").asText().isEmpty();
        for (JsonNode m : last.get("members")) {
          ok &= m.get("health").asText().equals("ok");
        }
        if (ok && last.get("members").size() > 0) {
          return last;
        }
      }
      Thread.sleep(500);
    }
    throw new AssertionError("committee not healthy within " + timeout + ": " + last);
  }

  private static Process start(int port, Path home, Path out) throws Exception {
    Path root =
        Paths.get(System.getProperty("wetee.contracts.dir", "../contracts"))
            .toAbsolutePath()
            .getParent();
    String cp = "target/classes" + File.pathSeparator + "target/lib/*";
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
            java,
            "-cp",
            cp,
            "io.wetee.cli.Main",
            "devnet",
            "--dir",
            home.toString(),
            "--port",
            String.valueOf(port));
    pb.environment().put("WETEE_HOME", root.toString());
    pb.redirectErrorStream(true);
    pb.redirectOutput(out.toFile());
    return pb.start();
  }

  private static void await(Path file, String marker, Duration timeout, Process p)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
      if (text.contains(marker)) {
        return;
      }
      if (!p.isAlive()) {
        throw new AssertionError("devnet exited " + p.exitValue() + ":\n" + text);
      }
      Thread.sleep(200);
    }
    throw new AssertionError("devnet did not print '" + marker + "' within " + timeout);
  }
}
