package io.wetee.chain;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.http.HttpService;

/**
 * A Hardhat node run as a child process on loopback, and the deploy script run against it. Used by
 * {@code wetee devnet} and by the integration tests; the node is the real Hardhat EVM, not a mock.
 *
 * <p>Lifecycle: {@link #start} returns once the node answers JSON-RPC; {@link #close} stops the
 * node and its children. Not thread-safe for concurrent start/close; RPC helpers are.
 */
public final class HardhatNode implements AutoCloseable {
  private final Process process;
  private final Path contractsDir;
  private final Path logFile;
  private final int port;
  private final HttpService http;
  private final Web3j web3j;

  private HardhatNode(Process process, Path contractsDir, Path logFile, int port) {
    this.process = process;
    this.contractsDir = contractsDir;
    this.logFile = logFile;
    this.port = port;
    this.http = RpcHttp.service(rpcUrl());
    this.web3j = Web3j.build(http);
  }

  /**
   * Starts {@code hardhat node} on 127.0.0.1:{@code port}.
   *
   * @param blockInterval when present, blocks are also mined at this interval (automine stays on)
   * @throws ChainException when the port is taken, the toolchain is missing, or the node fails
   */
  public static HardhatNode start(
      Path contractsDir, int port, Optional<Duration> blockInterval, Path logFile) {
    ensurePortFree(port);
    Path hardhat = contractsDir.resolve("node_modules/.bin/hardhat");
    if (!Files.isExecutable(hardhat)) {
      throw new ChainException(
          "Hardhat is not installed in "
              + contractsDir
              + ": build first with ./mvnw -q install -DskipTests");
    }
    ProcessBuilder pb =
        new ProcessBuilder(
            hardhat.toString(), "node", "--hostname", "127.0.0.1", "--port", String.valueOf(port));
    blockInterval.ifPresent(
        d -> pb.environment().put("WETEE_BLOCK_INTERVAL_MS", String.valueOf(d.toMillis())));
    Process p = launch(pb, contractsDir, logFile);
    HardhatNode node = new HardhatNode(p, contractsDir, logFile, port);
    node.awaitReady(Duration.ofSeconds(90));
    return node;
  }

  /** A free TCP port on loopback. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new ChainException("no free port on loopback: " + e.getMessage(), e);
    }
  }

  private static void ensurePortFree(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
    } catch (IOException e) {
      throw new ChainException(
          "port " + port + " on 127.0.0.1 is already in use (is a devnet already running?)");
    }
  }

  private static Process launch(ProcessBuilder pb, Path dir, Path logFile) {
    try {
      Files.createDirectories(logFile.toAbsolutePath().getParent());
      pb.directory(dir.toFile());
      pb.redirectErrorStream(true);
      pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
      return pb.start();
    } catch (IOException e) {
      throw new ChainException("cannot start " + pb.command().get(0) + ": " + e.getMessage(), e);
    }
  }

  /** The node's JSON-RPC URL. */
  public String rpcUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** A web3j client for this node. */
  public Web3j web3j() {
    return web3j;
  }

  /**
   * Runs {@code scripts/deploy.js} against this node and returns the deployment it wrote.
   *
   * @param extraEnv additional environment, e.g. {@code WETEE_COMMITTEE} and {@code WETEE_QUORUM}
   */
  public Deployment deploy(Path out, Map<String, String> extraEnv) {
    Path hardhat = contractsDir.resolve("node_modules/.bin/hardhat");
    ProcessBuilder pb =
        new ProcessBuilder(hardhat.toString(), "run", "scripts/deploy.js", "--network", "devnet");
    pb.environment().putAll(extraEnv);
    pb.environment().put("WETEE_RPC_URL", rpcUrl());
    pb.environment().put("WETEE_DEPLOYMENT_OUT", out.toAbsolutePath().toString());
    Process p = launch(pb, contractsDir, logFile);
    try {
      if (!p.waitFor(180, java.util.concurrent.TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new ChainException("deploy script did not finish in 180 s; see " + logFile);
      }
      if (p.exitValue() != 0) {
        throw new ChainException(
            "deploy script failed (exit " + p.exitValue() + "):\n" + logTail());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ChainException("interrupted while deploying", e);
    }
    return Deployment.load(out);
  }

  /** Sends a raw JSON-RPC request (e.g. {@code evm_snapshot}) and returns its result as text. */
  public String rpc(String method, Object... params) {
    Request<?, RawResponse> request =
        new Request<>(method, List.of(params), http, RawResponse.class);
    try {
      RawResponse r = request.send();
      if (r.hasError()) {
        throw new ChainException(method + " failed: " + r.getError().getMessage());
      }
      return String.valueOf(r.getResult());
    } catch (IOException e) {
      throw new ChainException(method + " failed: " + e.getMessage(), e);
    }
  }

  /** A JSON-RPC response with any result. */
  public static final class RawResponse extends Response<Object> {}

  private void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new ChainException(
            "hardhat node exited (" + process.exitValue() + "):\n" + logTail());
      }
      try {
        web3j.ethChainId().send();
        return;
      } catch (IOException | RuntimeException e) {
        sleep(Duration.ofMillis(150));
      }
    }
    close();
    throw new ChainException("hardhat node did not answer within " + timeout + ":\n" + logTail());
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size()));
    } catch (IOException e) {
      return "(no log at " + logFile + ")";
    }
  }

  /** Whether the node process is still running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** Stops the node and every process it started. Idempotent. */
  @Override
  public void close() {
    web3j.shutdown();
    List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
    all.forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        all.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ChainException("interrupted", e);
    }
  }
}
