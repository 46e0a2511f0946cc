package io.wetee.worker.spi;

import java.util.Map;

/**
 * A snapshot of one instance as the runtime sees it on the host (actual state, not desired state).
 *
 * @param id the instance
 * @param workloadId its workload
 * @param version the workload version it runs
 * @param state running, or how it ended
 * @param ports program port to host port on 127.0.0.1
 * @param restarts how many times the runtime has restarted the program
 */
public record InstanceStatus(
    InstanceId id,
    String workloadId,
    long version,
    InstanceState state,
    Map<Integer, Integer> ports,
    int restarts) {

  public InstanceStatus {
    ports = Map.copyOf(ports);
  }

  public boolean running() {
    return state instanceof InstanceState.Running;
  }

  /** The host port on 127.0.0.1 that reaches the program's {@code port}. */
  public int hostPort(int port) {
    Integer host = ports.get(port);
    if (host == null) {
      throw new IllegalArgumentException("instance " + id + " does not expose port " + port);
    }
    return host;
  }
}
