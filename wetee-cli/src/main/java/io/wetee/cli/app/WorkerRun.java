package io.wetee.cli.app;

import io.wetee.cli.UsageException;
import io.wetee.worker.node.WorkerConfig;
import io.wetee.worker.node.WorkerNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code wetee worker run --config F}: runs a worker (reconciler, runtime, proxy) until Ctrl-C. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description =
        "Run a worker until Ctrl-C: registers (and stakes) it and its SIMULATED platform when"
            + " needed, then runs the workloads assigned to it. Instances outlive the process and"
            + " are adopted by the next run.")
public final class WorkerRun implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--config", required = true, description = "YAML config file.")
  Path config;

  @Override
  public Integer call() throws InterruptedException {
    if (!Files.isRegularFile(config)) {
      throw new UsageException("config file not found: " + config);
    }
    WorkerConfig c;
    try {
      c = WorkerConfig.load(config, System.getenv());
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    // Reconcile decisions and errors: stderr + worker.log.
    if (!WorkerLog.enable(c.dataDir(), true)) {
      spec.commandLine()
          .getErr()
          .println(
              "wetee: the worker's log is off: an SLF4J provider other than Logback is on the class"
                  + " path (an old build's slf4j-nop jar in wetee-cli/target/lib?)");
    }
    WorkerNode node = WorkerNode.start(c);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  node.close();
                  stopped.countDown();
                }));
    spec.commandLine()
        .getOut()
        .printf("worker %d running; API on port %d%n", node.workerId(), node.apiPort());
    spec.commandLine().getOut().flush();
    stopped.await();
    return 0;
  }
}
