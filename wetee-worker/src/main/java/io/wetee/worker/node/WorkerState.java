package io.wetee.worker.node;

import com.fasterxml.jackson.core.type.TypeReference;
import io.wetee.common.Hex;
import io.wetee.common.Json;
import io.wetee.crypto.Keccak;
import io.wetee.worker.WorkerException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * What the worker keeps on disk besides the runtime's own state: the ids of the workloads assigned
 * to it, the specs seen in events (content-addressed by their keccak256), and a {@link Placement}
 * per instance. Every write is a temporary file, forced and renamed, so a SIGKILL leaves the old or
 * the new file. Thread-safe.
 */
final class WorkerState {
  private final Path dir;
  private final Set<Long> workloads = ConcurrentHashMap.newKeySet();
  private final ConcurrentHashMap<String, Placement> placements = new ConcurrentHashMap<>();

  private WorkerState(Path dir) {
    this.dir = dir;
  }

  static WorkerState open(Path dir) {
    WorkerState s = new WorkerState(dir);
    try {
      Files.createDirectories(dir.resolve("specs"));
      Files.createDirectories(dir.resolve("placements"));
      Path w = dir.resolve("workloads.json");
      if (Files.exists(w)) {
        s.workloads.addAll(Json.strict().readValue(w.toFile(), new TypeReference<List<Long>>() {}));
      }
      try (Stream<Path> files = Files.list(dir.resolve("placements"))) {
        for (Path p : files.filter(f -> f.toString().endsWith(".json")).toList()) {
          Placement pl = Json.strict().readValue(p.toFile(), Placement.class);
          s.placements.put(pl.id(), pl);
        }
      }
    } catch (IOException e) {
      throw new WorkerException(
          "cannot open the worker state in " + dir + ": " + e.getMessage(), e);
    }
    return s;
  }

  // ------------------------------------------------------------------ workloads

  Set<Long> workloads() {
    return new TreeSet<>(workloads);
  }

  boolean isKnown(long workloadId) {
    return workloads.contains(workloadId);
  }

  /** Adds a workload; persisted before this returns. */
  synchronized void addWorkload(long workloadId) {
    if (workloads.add(workloadId)) {
      writeWorkloads();
    }
  }

  synchronized void removeWorkload(long workloadId) {
    if (workloads.remove(workloadId)) {
      writeWorkloads();
    }
  }

  private void writeWorkloads() {
    write(dir.resolve("workloads.json"), new TreeSet<>(workloads));
  }

  // ------------------------------------------------------------------ specs

  /** Stores spec bytes under their keccak256. */
  void putSpec(byte[] spec) {
    Path file = specFile(Hex.encode0x(Keccak.hash(spec).toBytes()));
    if (!Files.exists(file)) {
      writeBytes(file, spec);
    }
  }

  /** The spec whose keccak256 is {@code specHash}, when it was seen. */
  Optional<byte[]> spec(String specHash) {
    Path file = specFile(specHash);
    try {
      return Files.exists(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
    } catch (IOException e) {
      throw new WorkerException("cannot read " + file, e);
    }
  }

  private Path specFile(String specHash) {
    return dir.resolve("specs").resolve(specHash.toLowerCase(java.util.Locale.ROOT) + ".json");
  }

  // ------------------------------------------------------------------ placements

  void putPlacement(Placement p) {
    write(dir.resolve("placements").resolve(p.id() + ".json"), p);
    placements.put(p.id(), p);
  }

  void removePlacement(String id) {
    placements.remove(id);
    try {
      Files.deleteIfExists(dir.resolve("placements").resolve(id + ".json"));
    } catch (IOException e) {
      throw new WorkerException("cannot delete placement " + id, e);
    }
  }

  Optional<Placement> placement(String id) {
    return Optional.ofNullable(placements.get(id));
  }

  /** The placements of one workload, oldest version first. */
  List<Placement> placementsOf(long workloadId) {
    List<Placement> out = new ArrayList<>();
    for (Placement p : placements.values()) {
      if (p.workloadId() == workloadId) {
        out.add(p);
      }
    }
    out.sort(Comparator.comparingLong(Placement::version).thenComparingLong(Placement::runId));
    return out;
  }

  List<Placement> placements() {
    return new ArrayList<>(placements.values());
  }

  // ------------------------------------------------------------------ files

  private void write(Path file, Object value) {
    try {
      writeBytes(file, Json.strict().writeValueAsBytes(value));
    } catch (IOException e) {
      throw new WorkerException("cannot write " + file, e);
    }
  }

  private static void writeBytes(Path file, byte[] bytes) {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(bytes));
      ch.force(true);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new WorkerException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
