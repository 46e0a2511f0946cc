package io.wetee.worker.node;

import io.wetee.chain.WorkloadInfo;
import io.wetee.chain.WorkloadKind;
import io.wetee.common.spec.WorkloadSpec;
import io.wetee.worker.spi.WorkloadMeta;
import java.util.Optional;

/**
 * The {@link WorkloadMeta} of a workload's instance, from its on-chain record and spec: what a
 * cluster runtime needs beyond the launch spec (the owner's namespace, service or task, the TEE
 * type that selects the runtime class, the spec hash for labels, the health path for the readiness
 * probe). The same for every runtime; the local runtime ignores it.
 */
final class WorkloadMetas {
  private WorkloadMetas() {}

  /**
   * @param evidenceType the evidence the instance's agent is configured to produce: the TEE type
   *     the instance must run on
   */
  static WorkloadMeta of(WorkloadInfo w, WorkloadSpec spec, String evidenceType) {
    WorkloadSpec.Health h = spec.containers().get(0).health();
    Optional<String> path =
        Optional.ofNullable(h)
            .map(WorkloadSpec.Health::http)
            .map(p -> p.startsWith("/") ? p : "/" + p);
    return new WorkloadMeta(
        w.kind() == WorkloadKind.TASK ? WorkloadMeta.Kind.TASK : WorkloadMeta.Kind.SERVICE,
        w.owner(),
        evidenceType,
        w.specHash(),
        path);
  }
}
