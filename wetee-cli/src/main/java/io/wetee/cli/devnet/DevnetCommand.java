package io.wetee.cli.devnet;

import io.wetee.chain.Deployment;
import io.wetee.chain.HardhatNode;
import io.wetee.cli.ExitCodes;
import io.wetee.cli.Home;
import io.wetee.cli.UsageException;
import io.wetee.worker.node.WorkerNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code wetee devnet}: the whole network on this machine. Starts a Hardhat node on loopback,
 * deploys the contracts (region 0 and levels 0 to 2 included), writes {@code deployment.json},
 * prints where everything is, and stays in the foreground until interrupted, then stops cleanly.
 */
@Command(
    name = "devnet",
    mixinStandardHelpOptions = true,
    description = "Run a local WeTEE network (chain + contracts) until Ctrl-C.")
public final class DevnetCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--dir",
      description = "Directory for deployment.json and logs (default: .devnet).")
  Path dir;

  @Option(names = "--port", defaultValue = "8545", description = "JSON-RPC port on 127.0.0.1.")
  int port;

  @Option(
      names = "--block-time",
      defaultValue = "1000",
      description = "Milliseconds between blocks when idle (transactions mine at once).")
  long blockTimeMs;

  @Option(
      names = "--secret-nodes",
      defaultValue = "4",
      description = "Secret nodes to run (quorum floor(2n/3)+1); 0 for none.")
  int secretNodes;

  @Option(
      names = "--workers",
      defaultValue = "1",
      description = "Workers to run with the local runtime (0 or 1; needs the secret nodes).")
  int workers;

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (workers < 0 || workers > 1) {
      throw new UsageException("--workers must be 0 or 1: " + workers);
    }
    if (secretNodes < 0 || secretNodes > 10) {
      throw new UsageException("--secret-nodes must be between 0 and 10: " + secretNodes);
    }
    if (port < 1 || port > 65535) {
      throw new UsageException("--port must be between 1 and 65535: " + port);
    }
    if (blockTimeMs < 100) {
      throw new UsageException("--block-time must be at least 100 ms: " + blockTimeMs);
    }
    Path home = dir == null ? Home.devnetDir() : dir.toAbsolutePath();
    Files.createDirectories(home);
    Path contracts = Home.root().resolve("contracts");
    Path deploymentFile = home.resolve("deployment.json");
    Files.deleteIfExists(deploymentFile);
    PrintWriter out = spec.commandLine().getOut();
    out.println("Starting the WeTEE devnet in " + home + " ...");
    out.flush();
    HardhatNode node =
        HardhatNode.start(
            contracts,
            port,
            Optional.of(Duration.ofMillis(blockTimeMs)),
            home.resolve("chain.log"));
    CountDownLatch stopped = new CountDownLatch(1);
    java.util.concurrent.atomic.AtomicReference<DevnetCommittee> committee =
        new java.util.concurrent.atomic.AtomicReference<>();
    java.util.concurrent.atomic.AtomicReference<WorkerNode> worker =
        new java.util.concurrent.atomic.AtomicReference<>();
    Thread hook =
        new Thread(
            () -> {
              Optional.ofNullable(worker.get()).ifPresent(WorkerNode::closeAndRemoveInstances);
              Optional.ofNullable(committee.get()).ifPresent(DevnetCommittee::close);
              shutdown(node, deploymentFile, out, stopped);
            });
    Runtime.getRuntime().addShutdownHook(hook);
    Deployment d = node.deploy(deploymentFile, Map.of());
    if (secretNodes > 0) {
      committee.set(DevnetCommittee.start(d, deploymentFile, home, secretNodes, out));
      if (workers > 0) {
        try {
          worker.set(DevnetWorker.start(deploymentFile, home, 10 + secretNodes, out));
        } catch (RuntimeException e) {
          // The chain and the committee are still useful without a worker (e.g. no bubblewrap).
          out.println("  worker        not started: " + e.getMessage());
        }
      }
    }
    DevnetSummary.print(out, d, deploymentFile, home);
    while (node.isAlive() && stopped.getCount() > 0) {
      Thread.sleep(500);
    }
    if (stopped.getCount() > 0) {
      spec.commandLine()
          .getErr()
          .println("wetee devnet: the chain node exited; see " + home.resolve("chain.log"));
      return ExitCodes.REMOTE;
    }
    return ExitCodes.OK;
  }

  private static void shutdown(
      HardhatNode node, Path deploymentFile, PrintWriter out, CountDownLatch stopped) {
    out.println("Stopping the devnet ...");
    out.flush();
    node.close();
    try {
      Files.deleteIfExists(deploymentFile);
    } catch (IOException e) {
      // The file only points at a node that is gone; a later start overwrites it.
    }
    stopped.countDown();
    out.println("Devnet stopped.");
    out.flush();
  }
}
