package io.wetee.worker;

import io.wetee.worker.spi.Enforcement;
import io.wetee.worker.spi.Enforcement.Mechanism;

/** Derives what the local runtime enforces from the detected cgroups and the worker's uid. */
final class RuntimeEnforcement {
  /*
   * Design notes: fallbacks when a cgroup controller is missing. Memory falls back to RLIMIT_AS
   * (address space, per process: a program that maps much more than it touches is refused early,
   * and a program that forks gets the limit per process, not in total). Processes fall back to
   * RLIMIT_NPROC only when each sandbox has its own uid (the count is per uid; with the worker's
   * uid it would count the worker's own threads). CPU has no rlimit equivalent (RLIMIT_CPU is total
   * CPU seconds, not a rate) and is then not enforced.
   */

  private RuntimeEnforcement() {}

  static Enforcement of(Cgroups cgroups, boolean separateUsers) {
    Mechanism memory = cgroups.memory() != Mechanism.NONE ? cgroups.memory() : Mechanism.RLIMIT;
    Mechanism processes = cgroups.processes();
    if (processes == Mechanism.NONE && separateUsers) {
      processes = Mechanism.RLIMIT;
    }
    String users =
        separateUsers
            ? "each sandbox has its own uid"
            : "worker is not root: sandboxes share the worker's uid";
    return new Enforcement(
        memory,
        cgroups.cpu(),
        processes,
        Mechanism.RLIMIT,
        Mechanism.TMPFS,
        separateUsers,
        users + "; cgroups: " + cgroups.detail());
  }
}
