package io.wetee.worker.spi;

/**
 * Which {@link Limits} a runtime really enforces on this host, and how. A runtime reports what it
 * detected when it opened; a limit whose mechanism is {@link Mechanism#NONE} is accepted in a
 * launch spec but has no effect.
 *
 * @param memory how {@link Limits#memoryBytes()} is enforced
 * @param cpu how {@link Limits#cpuMillis()} is enforced
 * @param processes how {@link Limits#maxProcesses()} is enforced
 * @param openFiles how {@link Limits#maxOpenFiles()} is enforced
 * @param tmpSize how {@link Limits#tmpBytes()} is enforced
 * @param separateUsers whether every instance runs under its own host user id
 * @param detail one human sentence on why (for example why cgroups are not usable)
 */
public record Enforcement(
    Mechanism memory,
    Mechanism cpu,
    Mechanism processes,
    Mechanism openFiles,
    Mechanism tmpSize,
    boolean separateUsers,
    String detail) {

  /** How a limit is enforced. */
  public enum Mechanism {
    /** A cgroup v2 controller file ({@code memory.max}, {@code cpu.max}, {@code pids.max}). */
    CGROUP_V2,
    /** A cgroup v1 controller file ({@code memory.limit_in_bytes}, CFS quota, {@code pids.max}). */
    CGROUP_V1,
    /** A per-process resource limit (setrlimit): weaker, see the runtime's documentation. */
    RLIMIT,
    /** The size of a tmpfs mount. */
    TMPFS,
    /**
     * Enforced by the cluster the runtime drives, not by this host: the kubelet's cgroups on the
     * node (and, under a Kata runtime class, the size of the pod's VM).
     */
    CLUSTER,
    /** Not enforced on this host. */
    NONE
  }

  /** One line for logs and test output. */
  public String describe() {
    return "memory="
        + memory
        + " cpu="
        + cpu
        + " processes="
        + processes
        + " openFiles="
        + openFiles
        + " tmp="
        + tmpSize
        + " separateUsers="
        + separateUsers
        + " ("
        + detail
        + ")";
  }
}
