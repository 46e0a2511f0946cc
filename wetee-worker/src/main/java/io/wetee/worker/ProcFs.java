package io.wetee.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** Reads process identity from {@code /proc}. */
final class ProcFs {
  /*
   * Design notes: a process id alone does not identify a process across a worker restart (ids are
   * reused). The kernel's start time of the process (field 22 of /proc/PID/stat, in clock ticks
   * since boot) together with the boot id (/proc/sys/kernel/random/boot_id) does: a recorded
   * (boot id, pid, start ticks) triple names at most one process ever.
   */
  private static final Path PROC = Path.of("/proc");

  private ProcFs() {}

  /** The kernel's id of the current boot. */
  static String bootId() {
    try {
      return Files.readString(PROC.resolve("sys/kernel/random/boot_id")).trim();
    } catch (IOException e) {
      throw new WorkerException("cannot read the boot id from /proc", e);
    }
  }

  /** Whether this process runs with effective user id 0. */
  static boolean isRoot() {
    return effectiveUid() == 0;
  }

  static int effectiveUid() {
    try {
      for (String line : Files.readAllLines(PROC.resolve("self/status"))) {
        if (line.startsWith("Uid:")) {
          return Integer.parseInt(line.split("\\s+")[2]);
        }
      }
    } catch (IOException e) {
      throw new WorkerException("cannot read /proc/self/status", e);
    }
    throw new WorkerException("no Uid line in /proc/self/status");
  }

  /** The start time of {@code pid} in clock ticks since boot; empty when no such process. */
  static OptionalLong startTicks(long pid) {
    try {
      return OptionalLong.of(parseStartTicks(Files.readString(PROC.resolve(pid + "/stat"))));
    } catch (IOException e) {
      // NoSuchFileException: the process is gone; any other read error means the same to us.
      return OptionalLong.empty();
    }
  }

  /** Field 22 of a {@code /proc/PID/stat} line; the command name may contain spaces and ')'. */
  static long parseStartTicks(String stat) {
    String afterName = stat.substring(stat.lastIndexOf(')') + 2);
    return Long.parseLong(afterName.split(" ")[19]);
  }

  /** Whether the process recorded as ({@code bootId}, {@code pid}, {@code ticks}) still runs. */
  static boolean isSameProcess(String bootId, long pid, long ticks) {
    if (pid <= 0 || !bootId.equals(bootId())) {
      return false;
    }
    OptionalLong now = startTicks(pid);
    return now.isPresent() && now.getAsLong() == ticks && !isZombie(pid);
  }

  private static boolean isZombie(long pid) {
    try {
      String stat = Files.readString(PROC.resolve(pid + "/stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
    } catch (IOException e) {
      return true;
    }
  }
}
