package io.wetee.worker;

import io.wetee.worker.InstanceRecord.StoredSpec;
import io.wetee.worker.oci.RuncBundle;
import io.wetee.worker.spi.Enforcement;
import io.wetee.worker.spi.Enforcement.Mechanism;
import io.wetee.worker.spi.InstanceId;
import io.wetee.worker.spi.Limits;
import io.wetee.worker.spi.LogStream;
import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Starts one run of an instance: cgroup, log files, the sandbox command line (bubblewrap, or runc
 * for an image instance), the process.
 */
final class Launcher {
  /*
   * Design notes: the supervisor is started with an empty environment (plus a fixed PATH), so
   * nothing of the worker's environment (WETEE_PRIVATE_KEY and the like) reaches even the
   * supervisor; bwrap then clears the program's environment and sets only what the launch spec and
   * the runtime define. Runtime-defined variables (WETEE_*, PORT) are set last and win.
   */

  /** One launched run. */
  record Launched(
      ProcessHandle process, long ticks, Cgroups.InstanceCgroup cgroup, Instant startedAt) {}

  private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private final InstanceStore store;
  private final Cgroups cgroups;
  private final Enforcement enforcement;
  private final String cgroupPrefix;
  private final RuncLauncher runc;
  private final boolean startAllowance;

  Launcher(
      InstanceStore store,
      Cgroups cgroups,
      Enforcement enforcement,
      String cgroupPrefix,
      boolean installPackages,
      boolean startAllowance) {
    this.store = store;
    this.cgroups = cgroups;
    this.enforcement = enforcement;
    this.cgroupPrefix = cgroupPrefix;
    this.startAllowance = startAllowance;
    this.runc = new RuncLauncher(store, enforcement, installPackages);
  }

  /** Whether runs of this instance are runc containers (an image instance) rather than bwrap. */
  static boolean isImage(InstanceRecord record) {
    return record.spec().imageRootfs().isPresent();
  }

  /**
   * The start-up CPU allowance (when the runtime's config asks for it): until the worker reports
   * the instance started ({@link LocalRuntime#started}), at most {@link #START_ALLOWANCE}, an
   * instance's group may use at least {@link #START_CPU_MILLIS} (two cores); then its own limit
   * (the workload's CPU plus the agent's overhead) applies. An instance starts with the agent's
   * JVM, whose start-up is a burst of a few hundred milliseconds of CPU on several threads; a
   * 1.25-core quota throttled it for about 170 ms of every deploy (cpu.stat). The program itself
   * starts only after attestation, so it runs with the allowance at most until the worker sees the
   * agent running (tens of ms). A worker that dies inside the window leaves the allowance in place
   * until it adopts the instance again ({@link #applyLimits}).
   */
  static final int START_CPU_MILLIS = 2000;

  static final Duration START_ALLOWANCE = Duration.ofSeconds(10);

  static int startCpuMillis(int limit) {
    return limit == 0 ? 0 : Math.max(limit, START_CPU_MILLIS);
  }

  /** The limits of an instance's group (runc needs some memory and tasks of its own). */
  static Limits groupLimits(InstanceRecord record) {
    Limits limits = record.spec().limits();
    return isImage(record) ? RuncLauncher.groupLimits(limits) : limits;
  }

  /** Writes the group's CPU limit again (an adopted instance may still have its allowance). */
  void applyLimits(InstanceRecord record, Cgroups.InstanceCgroup cgroup) {
    cgroups.setCpu(cgroup, groupLimits(record).cpuMillis());
  }

  /** The cgroup name of an instance (unique per state directory). */
  String cgroupName(InstanceId id) {
    return cgroupPrefix + id.value();
  }

  Launched launch(InstanceRecord record) {
    InstanceId id = record.instanceId();
    store.clearExit(id);
    Limits limits = groupLimits(record);
    int boosted = startAllowance ? startCpuMillis(limits.cpuMillis()) : limits.cpuMillis();
    Cgroups.InstanceCgroup cgroup = cgroups.create(cgroupName(id), limits.withCpuMillis(boosted));
    if (boosted != limits.cpuMillis()) {
      Thread.ofVirtual()
          .name("cpu-allowance-" + id.value())
          .start(
              () -> {
                try {
                  Thread.sleep(START_ALLOWANCE);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                applyLimits(record, cgroup);
              });
    }
    List<String> argv;
    try {
      argv =
          isImage(record)
              ? runc.command(record, cgroup, environment(record), cgroupName(id))
              : SandboxCommand.build(inputs(record, cgroup));
    } catch (RuntimeException e) {
      cgroup.remove();
      throw e;
    }
    ProcessBuilder builder = new ProcessBuilder(argv);
    builder.environment().clear();
    builder.environment().put("PATH", PATH);
    builder.directory(store.dir(id).toFile());
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.redirectOutput(
        ProcessBuilder.Redirect.appendTo(store.log(id, LogStream.STDOUT).toFile()));
    builder.redirectError(
        ProcessBuilder.Redirect.appendTo(store.log(id, LogStream.STDERR).toFile()));
    try {
      Process process = builder.start();
      long ticks =
          ProcFs.startTicks(process.pid())
              .orElseThrow(() -> new WorkerException("supervisor of " + id + " vanished"));
      return new Launched(process.toHandle(), ticks, cgroup, Instant.now());
    } catch (IOException e) {
      cgroup.remove();
      throw new WorkerException("cannot launch the sandbox of " + id + ": " + e.getMessage(), e);
    }
  }

  /** Releases what a run left on the host besides its cgroup (runc's container state). */
  void cleanup(InstanceRecord record) {
    if (isImage(record)) {
      runc.delete(record.instanceId());
    }
  }

  private SandboxCommand.Inputs inputs(InstanceRecord record, Cgroups.InstanceCgroup cgroup) {
    InstanceId id = record.instanceId();
    StoredSpec spec = record.spec();
    return new SandboxCommand.Inputs(
        store.exitFile(id),
        cgroup.procsFiles(),
        store.workDir(id),
        store.etcDir(id),
        spec.appDirPath(),
        record.uid() >= 0 ? OptionalInt.of(record.uid()) : OptionalInt.empty(),
        rlimits(spec),
        id.value(),
        spec.workingDir(),
        environment(record),
        spec.limits().tmpBytes(),
        spec.command());
  }

  /** The rlimits as prlimit options ({@code --nofile=n:n} ...). */
  private List<String> rlimits(StoredSpec spec) {
    return rlimits(spec, enforcement).stream()
        .map(
            r ->
                "--"
                    + r.type().substring("RLIMIT_".length()).toLowerCase(java.util.Locale.ROOT)
                    + "="
                    + r.soft()
                    + ":"
                    + r.hard())
        .toList();
  }

  /**
   * The per-process limits of an instance: open files, no core dumps, and the fallbacks for memory
   * (address space) and processes when no cgroup enforces them.
   */
  static List<RuncBundle.Rlimit> rlimits(StoredSpec spec, Enforcement enforcement) {
    List<RuncBundle.Rlimit> out = new ArrayList<>();
    int files = spec.limits().maxOpenFiles();
    out.add(new RuncBundle.Rlimit("RLIMIT_NOFILE", files, files));
    out.add(new RuncBundle.Rlimit("RLIMIT_CORE", 0, 0));
    long memory = spec.limits().memoryBytes();
    if (memory > 0 && enforcement.memory() == Mechanism.RLIMIT) {
      out.add(new RuncBundle.Rlimit("RLIMIT_AS", memory, memory));
    }
    int processes = spec.limits().maxProcesses();
    if (processes > 0 && enforcement.processes() == Mechanism.RLIMIT) {
      out.add(new RuncBundle.Rlimit("RLIMIT_NPROC", processes, processes));
    }
    return out;
  }

  static Map<String, String> environment(InstanceRecord record) {
    StoredSpec spec = record.spec();
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", PATH);
    env.put("HOME", "/work");
    env.put("TMPDIR", "/tmp");
    env.put("LANG", "C.UTF-8");
    env.putAll(spec.env());
    env.put("WETEE_INSTANCE_ID", record.id());
    env.put("WETEE_WORKLOAD_ID", spec.workloadId());
    env.put("WETEE_VERSION", Long.toString(spec.version()));
    boolean first = true;
    for (int port : spec.ports()) {
      String host = Integer.toString(record.hostPorts().get(port));
      if (first) {
        env.put("PORT", host);
        first = false;
      }
      env.put("WETEE_PORT_" + port, host);
    }
    return env;
  }
}
