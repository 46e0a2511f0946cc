package io.wetee.worker.node;

import io.wetee.chain.LogListener;
import io.wetee.chain.contracts.Cloud;
import java.math.BigInteger;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.web3j.abi.EventEncoder;
import org.web3j.protocol.core.methods.response.Log;

/**
 * Turns Cloud events into reconcile triggers. Only the events that change what the worker should do
 * count: {@code WorkloadCreated} for this worker (its spec is stored and the workload becomes known
 * before the follower's cursor moves past it), {@code WorkloadUpdated} (the new spec), {@code
 * WorkloadStopped} and {@code RunScheduled}; the events the worker causes itself (Started, Settled,
 * RunCompleted, Reattested) are ignored. Re-delivery after a crash only repeats a touch and an
 * idempotent spec write, so it is harmless (the reconcile reads the chain anyway).
 */
final class ChainWatch implements LogListener {
  private static final String CREATED = EventEncoder.encode(Cloud.WORKLOADCREATED_EVENT);
  private static final String UPDATED = EventEncoder.encode(Cloud.WORKLOADUPDATED_EVENT);
  private static final String STOPPED = EventEncoder.encode(Cloud.WORKLOADSTOPPED_EVENT);
  private static final String RUN = EventEncoder.encode(Cloud.RUNSCHEDULED_EVENT);

  private final long workerId;
  private final String cloud;
  private final WorkerState state;
  private final Reconciler rec;

  ChainWatch(long workerId, String cloud, WorkerState state, Reconciler rec) {
    this.workerId = workerId;
    this.cloud = cloud;
    this.state = state;
    this.rec = rec;
  }

  @Override
  public void onLogs(List<Log> logs) {
    Set<Long> touched = new LinkedHashSet<>();
    for (Log log : logs) {
      if (!log.getAddress().equalsIgnoreCase(cloud) || log.getTopics().size() < 2) {
        continue;
      }
      String topic = log.getTopics().get(0);
      boolean relevant =
          topic.equals(CREATED)
              || topic.equals(UPDATED)
              || topic.equals(STOPPED)
              || topic.equals(RUN);
      if (!relevant) {
        continue; // other events' first topic is not a workload id (SecretPut: an address)
      }
      long id = topicNumber(log, 1);
      if (topic.equals(CREATED)) {
        if (topicNumber(log, 3) == workerId) {
          state.putSpec(Cloud.getWorkloadCreatedEventFromLog(log).spec);
          state.addWorkload(id);
          touched.add(id);
        }
      } else if (topic.equals(UPDATED)) {
        if (state.isKnown(id)) {
          state.putSpec(Cloud.getWorkloadUpdatedEventFromLog(log).spec);
          touched.add(id);
        }
      } else if ((topic.equals(STOPPED) || topic.equals(RUN)) && state.isKnown(id)) {
        touched.add(id);
      }
    }
    touched.forEach(rec::touch);
  }

  private static long topicNumber(Log log, int i) {
    return new BigInteger(log.getTopics().get(i).substring(2), 16).longValueExact();
  }
}
