package io.wetee.cli;

import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Where the WeTEE checkout is ({@code WETEE_HOME}, set by the {@code ./wetee} launcher; else the
 * working directory) and where the running devnet keeps its files.
 */
public final class Home {
  private Home() {}

  /** The checkout's root directory. */
  public static Path root() {
    String env = System.getenv("WETEE_HOME");
    return (env == null || env.isBlank() ? Paths.get("") : Paths.get(env)).toAbsolutePath();
  }

  /** The default devnet directory, {@code ROOT/.devnet}. */
  public static Path devnetDir() {
    return root().resolve(".devnet");
  }

  /** The deployment file a running devnet writes. */
  public static Path devnetDeployment() {
    return devnetDir().resolve("deployment.json");
  }
}
