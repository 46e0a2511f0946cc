package io.wetee.worker.node;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What the worker says about one workload ({@code GET /v1/workloads/{id}}): {@code state} is {@code
 * starting}, {@code running}, {@code waiting} (a task between runs), {@code failed} (with a stable
 * {@code reason}: an agent fail-closed code, {@code bundle-refused}, {@code over-capacity}, {@code
 * invalid-spec}, {@code start-refused}, {@code instance-exited}, {@code unhealthy}) or {@code
 * stopped}.
 *
 * @param url the public URL of the first public port, when routed
 * @param instance the instance address of the running version
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WorkloadStatus(
    long workloadId,
    String state,
    long version,
    String url,
    String instance,
    String reason,
    String detail,
    Long lastRunId,
    Integer lastExitCode) {

  static WorkloadStatus of(long id, String state, long version) {
    return new WorkloadStatus(id, state, version, null, null, null, null, null, null);
  }

  WorkloadStatus failed(String reason, String detail) {
    return new WorkloadStatus(
        workloadId, "failed", version, url, instance, reason, detail, lastRunId, lastExitCode);
  }

  WorkloadStatus withState(String s) {
    return new WorkloadStatus(
        workloadId, s, version, url, instance, null, null, lastRunId, lastExitCode);
  }

  WorkloadStatus withUrl(String u, String inst) {
    return new WorkloadStatus(
        workloadId, state, version, u, inst, reason, detail, lastRunId, lastExitCode);
  }

  WorkloadStatus withRun(long runId, int exitCode) {
    return new WorkloadStatus(
        workloadId, state, version, url, instance, reason, detail, runId, exitCode);
  }
}
