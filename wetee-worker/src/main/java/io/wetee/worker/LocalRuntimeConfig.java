package io.wetee.worker;

import java.nio.file.Path;

/**
 * Settings of the local (bubblewrap) runtime. Immutable; start from {@link #defaults(Path)}.
 *
 * @param stateDir where instances live: state, work directories, logs (created 0700)
 * @param uidBase first host user id given to sandboxes when the worker runs as root
 * @param uidCount how many user ids from {@code uidBase} may be in use at once
 * @param logMaxBytes size at which a log file is rotated (checked about once a second)
 * @param logFiles rotated files kept per stream ({@code stdout.log.1} ...)
 * @param useCgroups whether to enforce limits through cgroups when the host allows it
 * @param installPackages whether to install missing Debian packages with apt-get when root
 * @param startAllowance whether an instance's group may use two cores until {@link
 *     LocalRuntime#started} is called for it (at most 10 s), for its agent's JVM start; the worker
 *     turns it on, plain runtime users keep every limit from the first instant
 */
public record LocalRuntimeConfig(
    Path stateDir,
    int uidBase,
    int uidCount,
    long logMaxBytes,
    int logFiles,
    boolean useCgroups,
    boolean installPackages,
    boolean startAllowance) {

  public LocalRuntimeConfig {
    stateDir = stateDir.toAbsolutePath().normalize();
    if (uidBase < 1000 || uidCount < 1 || (long) uidBase + uidCount > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("sandbox uid range must start at 1000 or above");
    }
    if (logMaxBytes < 1024 || logFiles < 1) {
      throw new IllegalArgumentException("logMaxBytes >= 1024 and logFiles >= 1 required");
    }
  }

  /** Uids 200000..209999, 10 MiB log files with 2 rotations, cgroups and package install on. */
  public static LocalRuntimeConfig defaults(Path stateDir) {
    return new LocalRuntimeConfig(stateDir, 200_000, 10_000, 10L << 20, 2, true, true, false);
  }

  public LocalRuntimeConfig withLogs(long maxBytes, int files) {
    return new LocalRuntimeConfig(
        stateDir, uidBase, uidCount, maxBytes, files, useCgroups, installPackages, startAllowance);
  }

  public LocalRuntimeConfig withCgroups(boolean enabled) {
    return new LocalRuntimeConfig(
        stateDir,
        uidBase,
        uidCount,
        logMaxBytes,
        logFiles,
        enabled,
        installPackages,
        startAllowance);
  }

  public LocalRuntimeConfig withUids(int base, int count) {
    return new LocalRuntimeConfig(
        stateDir, base, count, logMaxBytes, logFiles, useCgroups, installPackages, startAllowance);
  }

  public LocalRuntimeConfig withStartAllowance(boolean enabled) {
    return new LocalRuntimeConfig(
        stateDir, uidBase, uidCount, logMaxBytes, logFiles, useCgroups, installPackages, enabled);
  }
}
