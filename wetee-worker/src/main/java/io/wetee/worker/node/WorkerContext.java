package io.wetee.worker.node;

import io.wetee.agent.QuotingService;
import io.wetee.chain.ChainClient;
import io.wetee.chain.Resources;
import io.wetee.worker.BundleCache;
import io.wetee.worker.proxy.ReverseProxy;
import io.wetee.worker.spi.WorkloadRuntime;

/**
 * The parts one worker process wires together (built once by {@link WorkerNode}).
 *
 * @param settleInterval Cloud's settle interval in blocks, read at start
 * @param capacity what the worker registered on Subnet
 */
record WorkerContext(
    WorkerConfig config,
    ChainClient chain,
    long workerId,
    WorkloadRuntime runtime,
    ReverseProxy proxy,
    BundleCache bundles,
    AgentStaging staging,
    InstancePlanner planner,
    WorkerState state,
    QuotingService quoting,
    String quotingUrl,
    long settleInterval,
    Resources capacity,
    java.util.Map<Long, Resources> resources) {

  /** The resources of a workload as last read from the chain (zero when not read yet). */
  Resources resourcesOf(long workloadId) {
    return resources.getOrDefault(workloadId, new Resources(0, 0, 0, 0));
  }
}
