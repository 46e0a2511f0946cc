package io.wetee.worker.node;

import io.wetee.worker.spi.InstanceId;
import java.util.Map;

/**
 * The worker's own record of one instance it launched: everything needed to launch it again with
 * the same launch spec, to reach its agent, and to restore its quoting token after a restart.
 * Written before the runtime starts the instance, so a crash never leaves an instance the worker
 * cannot name.
 *
 * @param id the instance id: {@code w<workload>-v<version>} for services, {@code
 *     w<workload>-v<version>-r<run>} for task runs (deterministic: a restarted worker adopts it)
 * @param workloadId the workload
 * @param version the workload version it runs
 * @param runId the task run it performs; -1 for a service
 * @param agentPort the agent's control API port at the instance's address ({@code
 *     InstanceStatus.host()}: 127.0.0.1 locally, the pod's IP in a cluster)
 * @param hostPorts program port to the port the program listens on at that address (in a pod, the
 *     spec's own port)
 * @param token the instance's quoting-service token
 * @param measurement the SIMULATED measurement registered for it (spec hash, 0x hex)
 * @param bundle the SHA-256 of the program bundle
 */
record Placement(
    String id,
    long workloadId,
    long version,
    long runId,
    int agentPort,
    Map<Integer, Integer> hostPorts,
    String token,
    String measurement,
    String bundle) {

  Placement {
    hostPorts = Map.copyOf(hostPorts);
  }

  static String idFor(long workloadId, long version, long runId) {
    return "w" + workloadId + "-v" + version + (runId >= 0 ? "-r" + runId : "");
  }

  InstanceId instanceId() {
    return InstanceId.of(id);
  }

  boolean isTask() {
    return runId >= 0;
  }
}
