package io.wetee.cli.secret;

import io.wetee.cli.UsageException;
import io.wetee.secretnode.SecretNode;
import io.wetee.secretnode.SecretNodeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code wetee secret-node run --config F}: runs a committee member until interrupted. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description =
        "Run a secret node (DKG over the chain, release API) until Ctrl-C. The sealing passphrase"
            + " comes from WETEE_SEAL_PASSPHRASE or the config.")
public final class SecretNodeRun implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--config", required = true, description = "YAML config file.")
  Path config;

  @Override
  public Integer call() throws InterruptedException {
    if (!Files.isRegularFile(config)) {
      throw new UsageException("config file not found: " + config);
    }
    SecretNodeConfig c = SecretNodeConfig.load(config, System.getenv());
    SecretNode node = SecretNode.start(c);
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
        .printf("secret node %s listening on %s%n", node.address(), node.endpoint());
    spec.commandLine().getOut().flush();
    stopped.await();
    return 0;
  }
}
