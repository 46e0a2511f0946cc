package io.wetee.chain;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts one real Hardhat node per test run (per JVM), deploys the contracts once, and isolates
 * each test with {@code evm_snapshot} before and {@code evm_revert} after it. Tests receive the
 * {@link HardhatNode} and the {@link Deployment} as parameters. The contracts directory comes from
 * the system property {@code wetee.contracts.dir} (set by failsafe), else {@code ../contracts}.
 *
 * <p>The node is stopped when the root extension context closes, at the end of the run.
 */
public final class HardhatExtension
    implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(HardhatExtension.class);

  /** The shared node and its deployment; closed by JUnit with the root context. */
  public record Shared(HardhatNode node, Deployment deployment)
      implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    @Override
    public void close() {
      node.close();
    }
  }

  /** The run's shared node, started on first use. */
  public static Shared shared(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NS)
        .getOrComputeIfAbsent("node", k -> startShared(), Shared.class);
  }

  private static Shared startShared() {
    try {
      Path contracts =
          Paths.get(System.getProperty("wetee.contracts.dir", "../contracts")).toAbsolutePath();
      Path work = Files.createTempDirectory("wetee-hardhat-it");
      HardhatNode node =
          HardhatNode.start(
              contracts, HardhatNode.freePort(), Optional.empty(), work.resolve("hardhat.log"));
      Deployment d = node.deploy(work.resolve("deployment.json"), Map.of());
      return new Shared(node, d);
    } catch (java.io.IOException e) {
      throw new ChainException("cannot create a work directory: " + e.getMessage(), e);
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    String id = shared(context).node().rpc("evm_snapshot");
    context.getStore(NS).put("snapshot", id);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    String id = context.getStore(NS).remove("snapshot", String.class);
    if (id != null) {
      shared(context).node().rpc("evm_revert", id);
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    Class<?> type = p.getParameter().getType();
    return type == HardhatNode.class || type == Deployment.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    Shared s = shared(e);
    return p.getParameter().getType() == HardhatNode.class ? s.node() : s.deployment();
  }
}
