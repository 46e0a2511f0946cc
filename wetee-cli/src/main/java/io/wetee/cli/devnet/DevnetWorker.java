package io.wetee.cli.devnet;

import io.wetee.common.Secret;
import io.wetee.worker.node.WorkerConfig;
import io.wetee.worker.node.WorkerNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;

/**
 * The devnet's worker (DESIGN §9): one {@link WorkerNode} with the local runtime in the devnet's
 * JVM, development account {@code account}, registered (level 0, region 0, SIMULATED, 4 cores, 8
 * GiB, 100 GiB), staked 1 ETH and with its SIMULATED platform on Subnet. Its state starts fresh
 * with each devnet (a new chain); its instances are removed when the devnet stops. Its log (what it
 * reconciles, and errors) is {@code worker/worker.log} in the devnet's directory.
 */
final class DevnetWorker {
  private DevnetWorker() {}

  static WorkerNode start(Path deploymentFile, Path home, int account, PrintWriter out)
      throws IOException {
    Path data = home.resolve("worker");
    if (java.nio.file.Files.isDirectory(data.resolve("runtime"))) {
      // Instances of an earlier devnet that did not stop cleanly belong to a chain that is gone.
      try (var r =
          io.wetee.worker.Runtimes.local(
              io.wetee.worker.LocalRuntimeConfig.defaults(data.resolve("runtime")))) {
        r.list().forEach(s -> r.remove(s.id()));
      }
    }
    DevnetCommittee.deleteTree(data);
    WorkerConfig c =
        new WorkerConfig(
            deploymentFile,
            data,
            new WorkerConfig.Account(account, null),
            null,
            new WorkerConfig.Register(
                "devnet-worker",
                null,
                0,
                0,
                List.of("SIMULATED"),
                new WorkerConfig.Capacity(4000L, 8192L, 100L, 0),
                BigInteger.TEN.pow(18)),
            new WorkerConfig.Listen("127.0.0.1", 0),
            null,
            null,
            null,
            // The chain is a local node: polling its head every 100 ms (instead of 300) costs it
            // a few cheap calls and lets a deploy start about 0.1 s sooner on average.
            new WorkerConfig.Chain(100L, null),
            Secret.of("wetee-devnet-only"));
    io.wetee.cli.app.WorkerLog.enable(data, false); // the provider reads worker/worker.log
    WorkerNode node = WorkerNode.start(c);
    out.printf(
        "  worker        id %d (account %d), API http://127.0.0.1:%d, local runtime, log %s%n",
        node.workerId(), account, node.apiPort(), data.resolve(io.wetee.cli.app.WorkerLog.FILE));
    return node;
  }
}
