package io.wetee.cli;

import io.wetee.chain.ChainClient;
import io.wetee.chain.ChainException;
import io.wetee.chain.Deployment;
import io.wetee.common.Hex;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;
import org.web3j.crypto.Credentials;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Resolves the deployment and the signing key of a command from the root's options and the
 * environment, and opens a {@link ChainClient}. Precedence: flag, then environment, then the
 * running devnet. Problems with what the user gave are {@link UsageException}s (exit 2); a missing
 * devnet is a remote problem (exit 3).
 */
public final class ChainAccess {
  private ChainAccess() {}

  /** Opens a client; {@code needsKey} makes a missing key a usage error before any RPC. */
  public static ChainClient open(CommandSpec spec, boolean needsKey) {
    WeteeCommand root = (WeteeCommand) spec.root().userObject();
    Deployment d = deployment(root);
    Optional<Credentials> key = credentials(root, d);
    if (needsKey && key.isEmpty()) {
      throw new UsageException(
          "this command sends a transaction: give --key-file FILE, WETEE_PRIVATE_KEY or --account N");
    }
    return ChainClient.connect(d, key);
  }

  /** The signing key the root's options and the environment name, if any. */
  public static Optional<Credentials> credentials(CommandSpec spec) {
    WeteeCommand root = (WeteeCommand) spec.root().userObject();
    return credentials(root, deployment(root));
  }

  static Deployment deployment(WeteeCommand root) {
    Path file = root.deployment;
    if (file == null) {
      String env = System.getenv("WETEE_DEPLOYMENT");
      file = env == null || env.isBlank() ? null : Paths.get(env);
    }
    if (file == null) {
      Path devnet = Home.devnetDeployment();
      if (!Files.exists(devnet)) {
        throw new ChainException(
            "no deployment given and no devnet running (start one with ./wetee devnet, or pass --deployment)");
      }
      return Deployment.load(devnet);
    }
    if (!Files.isRegularFile(file)) {
      throw new UsageException("deployment file not found: " + file);
    }
    try {
      return Deployment.load(file);
    } catch (ChainException e) {
      throw new UsageException(e.getMessage());
    }
  }

  static Optional<Credentials> credentials(WeteeCommand root, Deployment d) {
    if (root.keyFile != null) {
      try {
        return Optional.of(
            parseKey(Files.readString(root.keyFile, StandardCharsets.UTF_8), "--key-file"));
      } catch (IOException e) {
        throw new UsageException("cannot read key file " + root.keyFile + ": " + e.getMessage());
      }
    }
    String env = System.getenv("WETEE_PRIVATE_KEY");
    if (env != null && !env.isBlank()) {
      return Optional.of(parseKey(env, "WETEE_PRIVATE_KEY"));
    }
    if (root.account != null) {
      if (d.accounts().stream().noneMatch(a -> a.index() == root.account)) {
        throw new UsageException("the deployment has no development account " + root.account);
      }
      return Optional.of(Credentials.create(d.account(root.account).privateKey()));
    }
    return Optional.empty();
  }

  static Credentials parseKey(String text, String source) {
    byte[] key;
    try {
      key = Hex.decode(text.strip());
    } catch (IllegalArgumentException e) {
      throw new UsageException(source + " is not a hex private key: " + e.getMessage());
    }
    if (key.length != 32) {
      throw new UsageException(
          source + " must hold a 32-byte hex private key, got " + key.length + " bytes");
    }
    return Credentials.create(Hex.encode(key));
  }
}
