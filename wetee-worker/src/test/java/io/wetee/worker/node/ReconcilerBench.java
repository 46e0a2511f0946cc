package io.wetee.worker.node;

import java.lang.management.ManagementFactory;

/**
 * Bench (not a test): CPU the reconciler's scheduling spends per block with N idle workloads, N =
 * 10 and N = 1,000, the goal being a ratio of at most 2. Two kinds of idle: (a) workloads
 * with nothing due in the window (tasks waiting for their next run, services between settlements
 * when the interval is longer than the window): their timers sit in the queue and cost nothing per
 * block; (b) services settling every 10 blocks: N / 10 of them are due each block, which is the
 * protocol's own work (one proof and one transaction each), so that cost grows with N by design.
 * The reconcile function is a stand-in that re-arms its timer: the figures are the scheduler's cost
 * (timer queue, virtual-thread hand-off), not the RPCs. CPU is the whole process's.
 */
public final class ReconcilerBench {
  private ReconcilerBench() {}

  public static void main(String[] args) throws Exception {
    int blocks = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
    run(1000, 10, blocks); // warm-up
    double a10 = run(10, 1_000_000, blocks);
    double a1000 = run(1000, 1_000_000, blocks);
    double b10 = run(10, 10, blocks);
    double b1000 = run(1000, 10, blocks);
    System.out.printf(
        "(a) nothing due: 10 workloads %.1f us/block, 1000 workloads %.1f us/block, ratio %.2f (goal <= 2)%n",
        a10, a1000, a1000 / a10);
    System.out.printf(
        "(b) settling every 10 blocks: 10 workloads %.1f us/block, 1000 workloads %.1f us/block, ratio %.2f (N/10 due per block)%n",
        b10, b1000, b1000 / b10);
  }

  /** Microseconds of process CPU per block. */
  static double run(int workloads, long interval, int blocks) throws Exception {
    Reconciler[] holder = new Reconciler[1];
    holder[0] = new Reconciler(id -> holder[0].at(holder[0].head() + interval, id));
    Reconciler rec = holder[0];
    for (long id = 0; id < workloads; id++) {
      rec.at(1 + id % Math.min(interval, 10) + (interval > 10 ? interval : 0), id);
    }
    long cpu0 = processCpu();
    for (long b = 1; b <= blocks; b++) {
      rec.onHead(b);
      Thread.sleep(0, 300_000);
    }
    Thread.sleep(100);
    long cpu = processCpu() - cpu0;
    rec.close();
    return cpu / 1000.0 / blocks;
  }

  private static long processCpu() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
