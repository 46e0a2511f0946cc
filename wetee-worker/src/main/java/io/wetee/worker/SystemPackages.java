package io.wetee.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Finds the host programs the local runtime needs and installs their Debian packages if allowed.
 */
final class SystemPackages {
  /*
   * Design notes: the runtime needs bwrap (Debian package bubblewrap) and setsid, prlimit, setpriv
   * (util-linux, essential on Debian but not on every image). Programs are looked up in the fixed
   * system directories, never in the caller's PATH, so a writable directory early in PATH cannot
   * substitute the sandbox binary. Installing runs apt-get only as root and only when the config
   * allows it; otherwise the fault names the package to install.
   */

  static final List<String> SYSTEM_DIRS = List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin");
  private static final long INSTALL_TIMEOUT_MINUTES = 10;

  private SystemPackages() {}

  /** Where {@code program} lives in the system directories. */
  static Optional<Path> find(String program) {
    for (String dir : SYSTEM_DIRS) {
      Path candidate = Path.of(dir, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * Makes sure every program (key) is present, installing its package (value) when {@code install}
   * is true and the worker is root.
   *
   * @throws WorkerException naming the missing packages when they cannot be installed
   */
  static void require(Map<String, String> programToPackage, boolean install) {
    Set<String> missing = missingPackages(programToPackage);
    if (missing.isEmpty()) {
      return;
    }
    if (install && ProcFs.isRoot() && find("apt-get").isPresent()) {
      aptInstall(missing);
      missing = missingPackages(programToPackage);
      if (missing.isEmpty()) {
        return;
      }
    }
    throw new WorkerException(
        "the local runtime needs the Debian package(s) "
            + String.join(", ", missing)
            + "; install them with: apt-get install -y "
            + String.join(" ", missing));
  }

  private static Set<String> missingPackages(Map<String, String> programToPackage) {
    Set<String> missing = new LinkedHashSet<>();
    programToPackage.forEach(
        (program, pkg) -> {
          if (find(program).isEmpty()) {
            missing.add(pkg);
          }
        });
    return missing;
  }

  private static void aptInstall(Set<String> packages) {
    // The package lists may be empty on a fresh image: update once, then install.
    if (!run(List.of("apt-get", "install", "-y", "-q"), packages)) {
      run(List.of("apt-get", "update", "-q"), Set.of());
      run(List.of("apt-get", "install", "-y", "-q"), packages);
    }
  }

  private static boolean run(List<String> command, Set<String> args) {
    List<String> argv = new ArrayList<>(command);
    argv.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
    builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
    builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    try {
      Process process = builder.start();
      if (!process.waitFor(INSTALL_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        return false;
      }
      return process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkerException("interrupted while installing " + args, e);
    }
  }
}
