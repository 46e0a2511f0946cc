package io.wetee.oci;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test fixtures' access to Debian packages: finds a program and installs its package with apt-get
 * when running as root, else fails naming the package to install.
 */
public final class DebianPackages {
  private DebianPackages() {}

  /** The path of {@code program} (absolute), installing {@code pkg} first if it is missing. */
  public static synchronized Path require(String program, String pkg) {
    Path path = Path.of(program);
    if (Files.isExecutable(path)) {
      return path;
    }
    boolean root = "root".equals(System.getProperty("user.name"));
    if (root && Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
      if (!apt("install", "-y", "-q", pkg)) {
        apt("update", "-q");
        apt("install", "-y", "-q", pkg);
      }
    }
    if (!Files.isExecutable(path)) {
      throw new IllegalStateException(
          program
              + " is missing: install the Debian package "
              + pkg
              + " (apt-get install -y "
              + pkg
              + ")");
    }
    return path;
  }

  private static boolean apt(String... args) {
    List<String> argv = new ArrayList<>(List.of("apt-get", "-o", "DPkg::Lock::Timeout=300"));
    argv.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
    builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
    builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    try {
      Process process = builder.start();
      if (!process.waitFor(10, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        return false;
      }
      return process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
