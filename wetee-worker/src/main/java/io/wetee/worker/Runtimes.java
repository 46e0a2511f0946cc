package io.wetee.worker;

import io.wetee.worker.spi.WorkloadRuntime;
import java.util.Map;

/**
 * Opens runtimes. The one composition point for the runtime implementations, which are
 * package-private.
 */
public final class Runtimes {
  private Runtimes() {}

  /**
   * Opens the local runtime over {@code config.stateDir()}: checks (and as root, installs) the
   * Debian packages it needs, detects the cgroup controllers it may use, and adopts the instances a
   * previous runtime left running there.
   *
   * @throws WorkerException when a package is missing and cannot be installed, or the state
   *     directory is unusable or already in use by another runtime
   */
  public static WorkloadRuntime local(LocalRuntimeConfig config) {
    SystemPackages.require(
        Map.of(
            "bwrap", "bubblewrap",
            "setsid", "util-linux",
            "prlimit", "util-linux",
            "setpriv", "util-linux"),
        config.installPackages());
    boolean root = ProcFs.isRoot();
    if (root) {
      HostPaths.untraversableAncestor(config.stateDir())
          .ifPresent(
              problem -> {
                throw new WorkerException(
                    "the state directory must be reachable by sandbox users: " + problem);
              });
    }
    InstanceStore store = InstanceStore.open(config.stateDir());
    try {
      Cgroups cgroups =
          !config.useCgroups()
              ? Cgroups.none("disabled by configuration")
              : !root ? Cgroups.none("worker is not root") : CgroupDetector.detectHost("wetee");
      return new LocalRuntime(config, store, cgroups, root);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }
}
