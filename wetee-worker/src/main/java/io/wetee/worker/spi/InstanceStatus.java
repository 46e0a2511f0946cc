package io.wetee.worker.spi;

import java.util.Map;

/**
 * A snapshot of one instance as the runtime sees it on the host (actual state, not desired state).
 *
 * @param id the instance
 * @param workloadId its workload
 * @param version the workload version it runs
 * @param state running, or how it ended
 * @param ports program port to the port that reaches it at {@code host}
 * @param restarts how many times the runtime has restarted the program
 * @param host the address at which the worker reaches the instance's ports (and its agent): {@code
 *     127.0.0.1} for the local runtime, the pod's IP for the Kubernetes runtime; empty while the
 *     instance has none (a pod not scheduled yet), in which case nothing can reach it yet
 */
public record InstanceStatus(
    InstanceId id,
    String workloadId,
    long version,
    InstanceState state,
    Map<Integer, Integer> ports,
    int restarts,
    String host) {

  /** The address of instances that run on the worker's own host. */
  public static final String LOOPBACK = "127.0.0.1";

  public InstanceStatus {
    ports = Map.copyOf(ports);
    host = host == null ? "" : host.strip();
  }

  /** A status of an instance on the worker's own host ({@link #LOOPBACK}). */
  public InstanceStatus(
      InstanceId id,
      String workloadId,
      long version,
      InstanceState state,
      Map<Integer, Integer> ports,
      int restarts) {
    this(id, workloadId, version, state, ports, restarts, LOOPBACK);
  }

  public boolean running() {
    return state instanceof InstanceState.Running;
  }

  /** Whether the instance has an address the worker can reach it at now. */
  public boolean addressed() {
    return !host.isEmpty();
  }

  /** The same status at another address. */
  public InstanceStatus withHost(String newHost) {
    return new InstanceStatus(id, workloadId, version, state, ports, restarts, newHost);
  }

  /** The port at {@link #host()} that reaches the program's {@code port}. */
  public int hostPort(int port) {
    Integer mapped = ports.get(port);
    if (mapped == null) {
      throw new IllegalArgumentException("instance " + id + " does not expose port " + port);
    }
    return mapped;
  }
}
