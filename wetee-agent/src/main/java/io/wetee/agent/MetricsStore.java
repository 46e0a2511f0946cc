package io.wetee.agent;

import io.wetee.crypto.Bytes32;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * CPU and memory samples of the program's process tree, read from Linux {@code /proc}, bounded and
 * hashed.
 *
 * <p>Design notes: CPU is {@code utime + stime + cutime + cstime} of the program plus {@code utime
 * + stime} of its live descendants, from {@code /proc/PID/stat} fields 14–17 (proc(5)), in clock
 * ticks of {@code USER_HZ} = 100 (the value on every Linux ABI this runs on; Java cannot call
 * sysconf), so cumulative per program start. Memory is the sum of {@code VmRSS} from {@code
 * /proc/PID/status}. Each sample's leaf hash is {@code keccak256(0x00 ‖ seq (8) ‖ atMillis (8) ‖
 * cpuMillis (8) ‖ rssBytes (8) ‖ processes (4) ‖ restarts (4))} ({@link Merkle}). Thread-safe.
 */
final class MetricsStore {
  private static final long MILLIS_PER_TICK = 10;

  /** One sample. */
  record Sample(
      long seq,
      long atMillis,
      long cpuMillis,
      long rssBytes,
      int processes,
      int restarts,
      Bytes32 hash) {}

  private final int maxSamples;
  private final Deque<Sample> samples = new ArrayDeque<>();
  private long nextSeq;

  MetricsStore(int maxSamples) {
    this.maxSamples = maxSamples;
  }

  /** Reads the process tree under {@code root} and records a sample; empty when it is gone. */
  Optional<Sample> sample(ProcessHandle root, int restarts, long nowMillis) {
    long cpuTicks = 0;
    long rss = 0;
    int processes = 0;
    Optional<long[]> top = read(root.pid(), true);
    if (top.isEmpty()) {
      return Optional.empty();
    }
    cpuTicks += top.get()[0];
    rss += top.get()[1];
    processes++;
    for (ProcessHandle child : root.descendants().toList()) {
      Optional<long[]> c = read(child.pid(), false);
      if (c.isPresent()) {
        cpuTicks += c.get()[0];
        rss += c.get()[1];
        processes++;
      }
    }
    return Optional.of(record(nowMillis, cpuTicks * MILLIS_PER_TICK, rss, processes, restarts));
  }

  /** Records a sample. */
  synchronized Sample record(
      long atMillis, long cpuMillis, long rssBytes, int processes, int restarts) {
    long seq = nextSeq++;
    byte[] entry =
        ByteBuffer.allocate(40)
            .putLong(seq)
            .putLong(atMillis)
            .putLong(cpuMillis)
            .putLong(rssBytes)
            .putInt(processes)
            .putInt(restarts)
            .array();
    Sample s =
        new Sample(seq, atMillis, cpuMillis, rssBytes, processes, restarts, Merkle.leaf(entry));
    samples.addLast(s);
    while (samples.size() > maxSamples) {
      samples.removeFirst();
    }
    return s;
  }

  /** Kept samples with {@code seq >= since}, at most {@code limit}. */
  synchronized List<Sample> since(long since, int limit) {
    List<Sample> out = new ArrayList<>();
    for (Sample s : samples) {
      if (s.seq() >= since && out.size() < limit) {
        out.add(s);
      }
    }
    return out;
  }

  /** Leaf hashes of kept samples with {@code from <= seq < to}. */
  synchronized List<Bytes32> hashes(long from, long to) {
    List<Bytes32> out = new ArrayList<>();
    for (Sample s : samples) {
      if (s.seq() >= from && s.seq() < to) {
        out.add(s.hash());
      }
    }
    return out;
  }

  /** The sequence number the next sample will get. */
  synchronized long next() {
    return nextSeq;
  }

  /** {cpu ticks, rss bytes} of one process, or empty when it is gone. */
  private static Optional<long[]> read(long pid, boolean withChildren) {
    try {
      String stat =
          Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
      // The command name (field 2) may contain spaces and parentheses: fields start after the last
      // ')'.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
      // f[0] is field 3 (state); utime is field 14, so f[11].
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
      if (withChildren) {
        ticks += Long.parseLong(f[13]) + Long.parseLong(f[14]);
      }
      return Optional.of(new long[] {ticks, rssBytes(pid)});
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static long rssBytes(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        String[] parts = line.substring(6).trim().split("\\s+");
        return Long.parseLong(parts[0]) * 1024;
      }
    }
    return 0;
  }
}
