package io.wetee.chain;

/**
 * Compute resources: CPU in milli-cores, memory in MiB, disk in GiB, GPUs in units.
 *
 * @param cpu milli-cores (1000 = one core)
 * @param memory MiB
 * @param disk GiB
 * @param gpu units
 */
public record Resources(long cpu, long memory, long disk, int gpu) {
  public Resources {
    if (cpu < 0 || memory < 0 || disk < 0 || gpu < 0) {
      throw new IllegalArgumentException("resources must not be negative");
    }
    if (cpu > 0xFFFFFFFFL || memory > 0xFFFFFFFFL || disk > 0xFFFFFFFFL || gpu > 0xFFFF) {
      throw new IllegalArgumentException("resources exceed the contract's field widths");
    }
  }

  /** Whether every amount of this fits within {@code other}. */
  public boolean fitsIn(Resources other) {
    return cpu <= other.cpu && memory <= other.memory && disk <= other.disk && gpu <= other.gpu;
  }
}
