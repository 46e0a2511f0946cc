package io.wetee.worker.spi;

/**
 * Resource limits of one instance. Zero means "no limit" for memory, CPU and processes. What a
 * runtime really enforces on its host is reported by {@link WorkloadRuntime#enforcement()}; a limit
 * the host cannot enforce is ignored there, never silently claimed.
 *
 * @param memoryBytes resident memory (including tmpfs pages) the instance may use; 0 = unlimited
 * @param cpuMillis CPU bandwidth in milli-cores (500 = half a core); 0 = unlimited
 * @param maxProcesses processes and threads the instance may have at once; 0 = unlimited
 * @param maxOpenFiles open file descriptors per process; must be positive
 * @param tmpBytes size of the instance's private {@code /tmp}; must be positive
 */
public record Limits(
    long memoryBytes, int cpuMillis, int maxProcesses, int maxOpenFiles, long tmpBytes) {

  /** No memory, CPU or process limit; 4096 open files; a 64 MiB {@code /tmp}. */
  public static final Limits DEFAULT = new Limits(0, 0, 0, 4096, 64L << 20);

  public Limits {
    if (memoryBytes < 0 || cpuMillis < 0 || maxProcesses < 0) {
      throw new IllegalArgumentException("limits must not be negative");
    }
    if (maxOpenFiles <= 0 || tmpBytes <= 0) {
      throw new IllegalArgumentException("maxOpenFiles and tmpBytes must be positive");
    }
  }

  public Limits withMemoryBytes(long bytes) {
    return new Limits(bytes, cpuMillis, maxProcesses, maxOpenFiles, tmpBytes);
  }

  public Limits withCpuMillis(int millis) {
    return new Limits(memoryBytes, millis, maxProcesses, maxOpenFiles, tmpBytes);
  }

  public Limits withMaxProcesses(int count) {
    return new Limits(memoryBytes, cpuMillis, count, maxOpenFiles, tmpBytes);
  }

  public Limits withMaxOpenFiles(int count) {
    return new Limits(memoryBytes, cpuMillis, maxProcesses, count, tmpBytes);
  }

  public Limits withTmpBytes(long bytes) {
    return new Limits(memoryBytes, cpuMillis, maxProcesses, maxOpenFiles, bytes);
  }
}
