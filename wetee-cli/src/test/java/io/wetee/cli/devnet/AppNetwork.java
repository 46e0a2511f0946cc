package io.wetee.cli.devnet;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.wetee.chain.ChainClient;
import io.wetee.chain.Deployment;
import io.wetee.chain.HardhatNode;
import io.wetee.cli.CliRun;
import io.wetee.common.Json;
import io.wetee.secretnode.CommitteeKeys;
import io.wetee.worker.node.WorkerNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The devnet of the app ITs in this JVM: a Hardhat node mining every 400 ms, the contracts, the
 * devnet's 4 secret nodes (DKG on chain, q = 3) and the devnet's worker (account 14, local runtime,
 * real sandboxes). Its directory is world-searchable: sandboxes read their program directories
 * under their own uids.
 */
final class AppNetwork implements AutoCloseable {
  final Path dir;
  final HardhatNode node;
  final Deployment deployment;
  final Path deploymentFile;
  final DevnetCommittee committee;
  WorkerNode worker;

  AppNetwork() throws Exception {
    dir = Files.createTempDirectory(Path.of("/tmp"), "wetee-app-it-");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path contracts =
        Paths.get(System.getProperty("wetee.contracts.dir", "../contracts")).toAbsolutePath();
    node =
        HardhatNode.start(
            contracts,
            HardhatNode.freePort(),
            Optional.of(Duration.ofMillis(400)),
            dir.resolve("chain.log"));
    deploymentFile = dir.resolve("deployment.json");
    deployment = node.deploy(deploymentFile, Map.of());
    PrintWriter out = new PrintWriter(new StringWriter());
    committee = DevnetCommittee.start(deployment, deploymentFile, dir, 4, out);
    try (ChainClient c = ChainClient.connect(deployment, Optional.empty())) {
      await().atMost(Duration.ofSeconds(90)).until(() -> CommitteeKeys.active(c).isPresent());
    }
    worker = DevnetWorker.start(deploymentFile, dir, 14, out);
    System.setProperty("wetee.bundles", dir.resolve("bundles").toString());
  }

  /** The CLI with this deployment and development account {@code account}. */
  CliRun cli(int account, String... args) {
    List<String> all =
        new ArrayList<>(
            List.of(
                "--deployment", deploymentFile.toString(), "--account", Integer.toString(account)));
    all.addAll(List.of(args));
    return CliRun.of(all.toArray(String[]::new));
  }

  JsonNode json(CliRun r) {
    try {
      if (r.exitCode() != 0) {
        throw new AssertionError("exit " + r.exitCode() + ": " + r.err() + r.out());
      }
      return Json.lenient().readTree(r.out());
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  ChainClient chain(int account) {
    return ChainClient.connect(
        deployment,
        Optional.of(org.web3j.crypto.Credentials.create(deployment.account(account).privateKey())));
  }

  @Override
  public void close() {
    if (worker != null) {
      worker.closeAndRemoveInstances();
    }
    committee.close();
    node.close();
    try {
      DevnetCommittee.deleteTree(dir);
    } catch (java.io.IOException e) {
      // a temporary directory; the OS cleans /tmp eventually
    }
  }
}
