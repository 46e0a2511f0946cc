package io.wetee.worker.node;

import io.wetee.chain.Resources;
import io.wetee.chain.WorkloadInfo;
import java.util.Optional;

/**
 * The worker's own capacity check before a launch: the resources of its live placements' workloads
 * plus the new one must fit what it registered on Subnet. The contract reserves capacity at create
 * already; this catches a worker whose host is shared or whose registration changed.
 */
final class Capacity {
  private Capacity() {}

  /** Empty when {@code w} fits, else a sentence saying what does not. */
  static Optional<String> check(WorkerContext ctx, WorkloadInfo w) {
    long cpu = w.resources().cpu();
    long mem = w.resources().memory();
    long disk = w.resources().disk();
    long gpu = w.resources().gpu();
    java.util.Set<Long> counted = new java.util.HashSet<>();
    for (Placement p : ctx.state().placements()) {
      if (p.workloadId() != w.id() && counted.add(p.workloadId())) {
        Resources r = ctx.resourcesOf(p.workloadId());
        cpu += r.cpu();
        mem += r.memory();
        disk += r.disk();
        gpu += r.gpu();
      }
    }
    Resources cap = ctx.capacity();
    if (cpu <= cap.cpu() && mem <= cap.memory() && disk <= cap.disk() && gpu <= cap.gpu()) {
      return Optional.empty();
    }
    return Optional.of(
        String.format(
            "would use cpu %dm memory %dMi disk %dGi gpu %d of the registered %dm/%dMi/%dGi/%d",
            cpu, mem, disk, gpu, cap.cpu(), cap.memory(), cap.disk(), cap.gpu()));
  }
}
