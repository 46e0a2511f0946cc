package io.wetee.worker;

import io.wetee.worker.spi.Enforcement.Mechanism;
import io.wetee.worker.spi.Limits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The cgroup controllers (memory, cpu, pids) this runtime may use, and per-instance groups. */
final class Cgroups {
  /*
   * Design notes: limits are enforced by the kernel's cgroup controllers, v2 where the host offers
   * them (memory.max, cpu.max, pids.max) and v1 otherwise (hybrid hosts bind memory, cpu and pids to
   * v1 hierarchies; memory.limit_in_bytes, cpu.cfs_quota_us, pids.max). Groups are nested under the
   * worker's own cgroup (read from /proc/self/cgroup), never at a hierarchy's root, so sandboxes stay
   * inside whatever limits the host put on the worker. Each controller is detected on its own: a
   * host may allow memory but not pids. The sandbox's supervisor joins the group itself before it
   * starts bwrap (see SandboxCommand), so no child can fork outside the group. Detection is in
   * CgroupDetector; this class only writes and reads controller files.
   */

  /** One controller: how it is enforced and the directory instance groups are created under. */
  record Controller(String name, Mechanism mechanism, Path groupRoot) {}

  private final Optional<Controller> memory;
  private final Optional<Controller> cpu;
  private final Optional<Controller> pids;
  private final String detail;

  Cgroups(
      Optional<Controller> memory,
      Optional<Controller> cpu,
      Optional<Controller> pids,
      String detail) {
    this.memory = memory;
    this.cpu = cpu;
    this.pids = pids;
    this.detail = detail;
  }

  static Cgroups none(String reason) {
    return new Cgroups(Optional.empty(), Optional.empty(), Optional.empty(), reason);
  }

  Mechanism memory() {
    return memory.map(Controller::mechanism).orElse(Mechanism.NONE);
  }

  Mechanism cpu() {
    return cpu.map(Controller::mechanism).orElse(Mechanism.NONE);
  }

  Mechanism processes() {
    return pids.map(Controller::mechanism).orElse(Mechanism.NONE);
  }

  String detail() {
    return detail;
  }

  /** The group of instance {@code name}, without touching the file system (for adoption). */
  InstanceCgroup attach(String name) {
    return new InstanceCgroup(
        memory.map(c -> c.groupRoot().resolve(name)),
        cpu.map(c -> c.groupRoot().resolve(name)),
        pids.map(c -> c.groupRoot().resolve(name)),
        memory());
  }

  /** Creates (or reuses) the group of instance {@code name} and writes its limits. */
  InstanceCgroup create(String name, Limits limits) {
    InstanceCgroup group = attach(name);
    try {
      for (Path dir : group.dirs()) {
        Files.createDirectories(dir);
      }
      if (group.memory.isPresent()) {
        writeMemory(group.memory.get(), memory(), limits.memoryBytes());
      }
      if (group.cpu.isPresent()) {
        writeCpu(group.cpu.get(), cpu(), limits.cpuMillis());
      }
      if (group.pids.isPresent()) {
        long max = limits.maxProcesses();
        write(group.pids.get().resolve("pids.max"), max == 0 ? "max" : Long.toString(max));
      }
      return group;
    } catch (IOException e) {
      throw new WorkerException("cannot set up cgroup " + name + ": " + e.getMessage(), e);
    }
  }

  /**
   * Rewrites the CPU bandwidth of an existing group (0 = unlimited); false when the group has no
   * CPU controller or is gone (the instance ended meanwhile).
   */
  boolean setCpu(InstanceCgroup group, int millis) {
    if (group.cpu.isEmpty() || !Files.isDirectory(group.cpu.get())) {
      return false;
    }
    try {
      writeCpu(group.cpu.get(), cpu(), millis);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  // A limit of 0 means "unlimited" in Limits; the kernel spells that "max" (v2) or -1 (v1). Every
  // file is written, so a reused group never keeps an older value.
  private static void writeMemory(Path dir, Mechanism mechanism, long bytes) throws IOException {
    if (mechanism == Mechanism.CGROUP_V2) {
      write(dir.resolve("memory.max"), bytes == 0 ? "max" : Long.toString(bytes));
      writeIfPresent(dir.resolve("memory.swap.max"), bytes == 0 ? "max" : "0");
      return;
    }
    // v1 requires memsw >= memory at every step: open memsw, set memory, then close swap off.
    Path memsw = dir.resolve("memory.memsw.limit_in_bytes");
    writeIfPresent(memsw, "-1");
    write(dir.resolve("memory.limit_in_bytes"), bytes == 0 ? "-1" : Long.toString(bytes));
    if (bytes != 0) {
      writeIfPresent(memsw, Long.toString(bytes));
    }
  }

  private static void writeCpu(Path dir, Mechanism mechanism, int millis) throws IOException {
    // 100 ms period; a milli-core is 100 us of it. The kernel's minimum quota is 1 ms.
    long quota = Math.max(1000L, millis * 100L);
    if (mechanism == Mechanism.CGROUP_V2) {
      write(dir.resolve("cpu.max"), (millis == 0 ? "max" : Long.toString(quota)) + " 100000");
      return;
    }
    write(dir.resolve("cpu.cfs_period_us"), "100000");
    write(dir.resolve("cpu.cfs_quota_us"), millis == 0 ? "-1" : Long.toString(quota));
  }

  private static void write(Path file, String value) throws IOException {
    Files.writeString(file, value);
  }

  private static void writeIfPresent(Path file, String value) throws IOException {
    if (Files.exists(file)) {
      write(file, value);
    }
  }

  /** The directories of one instance's group, per controller. */
  static final class InstanceCgroup {
    private final Optional<Path> memory;
    private final Optional<Path> cpu;
    private final Optional<Path> pids;
    private final Mechanism memoryMechanism;

    InstanceCgroup(
        Optional<Path> memory, Optional<Path> cpu, Optional<Path> pids, Mechanism memoryMechanism) {
      this.memory = memory;
      this.cpu = cpu;
      this.pids = pids;
      this.memoryMechanism = memoryMechanism;
    }

    /** Distinct group directories (under v2 all controllers share one). */
    List<Path> dirs() {
      Set<Path> dirs = new LinkedHashSet<>();
      memory.ifPresent(dirs::add);
      cpu.ifPresent(dirs::add);
      pids.ifPresent(dirs::add);
      return new ArrayList<>(dirs);
    }

    /**
     * The group's one directory when every controller it uses is cgroup v2 (a unified group), for a
     * container runtime that must manage the group itself; empty on v1 or mixed hosts.
     */
    Optional<Path> unifiedDir() {
      List<Path> dirs = dirs();
      return memoryMechanism == Mechanism.CGROUP_V2 && dirs.size() == 1
          ? Optional.of(dirs.get(0))
          : Optional.empty();
    }

    /** The {@code cgroup.procs} files a process writes its pid to, to join every group. */
    List<Path> procsFiles() {
      return dirs().stream().map(d -> d.resolve("cgroup.procs")).toList();
    }

    /** Whether the kernel's OOM killer has killed a process of this group. */
    boolean oomKilled() {
      if (memory.isEmpty()) {
        return false;
      }
      String file = memoryMechanism == Mechanism.CGROUP_V2 ? "memory.events" : "memory.oom_control";
      try {
        for (String line : Files.readAllLines(memory.get().resolve(file))) {
          if (line.startsWith("oom_kill ")) {
            return Long.parseLong(line.substring(9).trim()) > 0;
          }
        }
      } catch (IOException | NumberFormatException e) {
        return false;
      }
      return false;
    }

    /** Removes the group directories; the kernel refuses while a process is still inside. */
    void remove() {
      for (Path dir : dirs()) {
        for (int attempt = 0; attempt < 20 && Files.isDirectory(dir); attempt++) {
          try {
            Files.delete(dir);
          } catch (IOException e) {
            // A group is removable only once its last task has been reaped; that lags the exit.
            sleepQuietly(25);
          }
        }
      }
    }

    private static void sleepQuietly(long millis) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
