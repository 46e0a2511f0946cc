package io.wetee.worker;

import io.wetee.worker.spi.LaunchSpec;
import io.wetee.worker.spi.StartRefusal;
import io.wetee.worker.spi.StartResult;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** Picks a sandbox uid and host ports for a new instance. Called under the admission lock. */
final class Allocator {
  /*
   * Design notes: uids come from the configured range, lowest free first, and are free again when
   * the instance is removed; they are only meaningful when the worker is root (otherwise every
   * sandbox runs as the worker's uid, recorded as -1). Host ports come from the kernel (bind port 0
   * on 127.0.0.1, then release): the port is free at that moment and not used by another instance
   * of this runtime; the program binds it a little later, a window in which another host process
   * could take it (the program then fails to bind and exits, which the restart policy handles).
   */

  /** A uid (-1 when not root) and program port to host port, or why none could be found. */
  record Allocation(int uid, Map<Integer, Integer> ports, Optional<StartResult.Refused> refusal) {}

  private final LocalRuntimeConfig config;
  private final boolean root;

  Allocator(LocalRuntimeConfig config, boolean root) {
    this.config = config;
    this.root = root;
  }

  Allocation allocate(LaunchSpec spec, Collection<Instance> existing) {
    Set<Integer> usedUids = new HashSet<>();
    Set<Integer> usedPorts = new HashSet<>();
    for (Instance inst : existing) {
      usedUids.add(inst.record.uid());
      usedPorts.addAll(inst.record.hostPorts().values());
    }
    int uid = -1;
    if (root) {
      uid = freeUid(usedUids);
      if (uid < 0) {
        return refused(StartRefusal.NO_FREE_UID, "all " + config.uidCount() + " uids in use");
      }
    }
    Map<Integer, Integer> ports = new TreeMap<>();
    for (int port : spec.ports()) {
      int host = freePort(usedPorts);
      if (host < 0) {
        return refused(StartRefusal.NO_FREE_PORT, "no free host port for program port " + port);
      }
      usedPorts.add(host);
      ports.put(port, host);
    }
    return new Allocation(uid, ports, Optional.empty());
  }

  private int freeUid(Set<Integer> used) {
    for (int i = 0; i < config.uidCount(); i++) {
      int uid = config.uidBase() + i;
      if (!used.contains(uid)) {
        return uid;
      }
    }
    return -1;
  }

  private static int freePort(Set<Integer> used) {
    for (int attempt = 0; attempt < 20; attempt++) {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        int port = socket.getLocalPort();
        if (!used.contains(port)) {
          return port;
        }
      } catch (IOException e) {
        return -1;
      }
    }
    return -1;
  }

  private static Allocation refused(StartRefusal reason, String detail) {
    return new Allocation(-1, Map.of(), Optional.of(new StartResult.Refused(reason, detail)));
  }
}
