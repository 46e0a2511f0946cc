package io.wetee.worker.proxy;

import com.fasterxml.jackson.core.type.TypeReference;
import io.wetee.common.Json;
import io.wetee.worker.WorkerException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;

/** Public port assignments, persisted so that a workload keeps its URL across restarts. */
final class PortRegistry {
  /*
   * Design notes: the file maps "WORKLOAD/PORT" to the assigned proxy port and is rewritten
   * (write, fsync, rename) on every change; it is the only proxy state that must survive a restart,
   * because clients hold the URL. A new key gets the lowest port of the range that is neither
   * assigned nor currently bound by another process. An assigned port found busy at startup is a
   * fault (something else took the workload's URL), not silently replaced.
   */

  private final Path file;
  private final ProxyConfig config;
  private final Map<String, Integer> assigned;

  PortRegistry(ProxyConfig config) {
    this.config = config;
    this.file = config.stateFile();
    this.assigned = load(file);
  }

  static String key(String workloadId, int port) {
    return workloadId + "/" + port;
  }

  synchronized OptionalInt get(String workloadId, int port) {
    Integer listen = assigned.get(key(workloadId, port));
    return listen == null ? OptionalInt.empty() : OptionalInt.of(listen);
  }

  /** The assigned port of the key, assigning and persisting a free one if it has none. */
  synchronized int assign(String workloadId, int port) {
    Integer existing = assigned.get(key(workloadId, port));
    if (existing != null) {
      return existing;
    }
    for (int candidate = config.portFrom(); candidate <= config.portTo(); candidate++) {
      if (!assigned.containsValue(candidate) && bindable(candidate)) {
        assigned.put(key(workloadId, port), candidate);
        save();
        return candidate;
      }
    }
    throw new WorkerException("no free proxy port in " + config.portFrom() + "-" + config.portTo());
  }

  synchronized void release(String workloadId, int port) {
    if (assigned.remove(key(workloadId, port)) != null) {
      save();
    }
  }

  synchronized Map<String, Integer> all() {
    return Map.copyOf(assigned);
  }

  private boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(config.bindHost()), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static Map<String, Integer> load(Path file) {
    if (!Files.exists(file)) {
      return new TreeMap<>();
    }
    try {
      return new TreeMap<>(
          Json.strict().readValue(file.toFile(), new TypeReference<Map<String, Integer>>() {}));
    } catch (IOException e) {
      throw new WorkerException("cannot read proxy port assignments from " + file, e);
    }
  }

  private void save() {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.createDirectories(file.getParent());
      try (FileChannel out =
          FileChannel.open(
              tmp,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        out.write(java.nio.ByteBuffer.wrap(Json.strict().writeValueAsBytes(assigned)));
        out.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new WorkerException("cannot write proxy port assignments to " + file, e);
    }
  }
}
