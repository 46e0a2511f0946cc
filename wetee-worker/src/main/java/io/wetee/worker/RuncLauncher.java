package io.wetee.worker;

import io.wetee.worker.InstanceRecord.StoredSpec;
import io.wetee.worker.oci.ImageUser;
import io.wetee.worker.oci.RuncBundle;
import io.wetee.worker.spi.Enforcement;
import io.wetee.worker.spi.Enforcement.Mechanism;
import io.wetee.worker.spi.InstanceId;
import io.wetee.worker.spi.Limits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The runc side of the local runtime: writes an image instance's OCI bundle and gives the command
 * line that runs it under the same supervisor as a bubblewrap sandbox.
 *
 * <p>Design notes: the process tree is {@code setsid sh (supervisor) -> runc run -> the program
 * (pid 1 of the container)}. {@code runc run} stays in the foreground (no {@code --detach}): it is
 * the program's parent (a child subreaper), forwards signals to it, exits with its status (128 + n
 * after signal n) and deletes the container when it ends, so the supervisor records the exit status
 * in the exit file exactly as for bwrap, and adoption after a worker restart (supervisor pid, start
 * time, exit file) is unchanged. runc's own state lives in {@code STATE/runc}. A container left
 * behind by a killed {@code runc run} is deleted before the next run and after every exit.
 */
final class RuncLauncher {
  /*
   * Limits (cgroup v1 and hybrid hosts): the instance cgroup (joined by the supervisor) also holds the supervisor and runc, a Go
   * program with about ten threads (each a task for pids) and some 15 MiB resident. The instance
   * group gets the spec's limits plus that overhead; the container's own group (linux.resources)
   * gets the spec's exact process and CPU limits. Memory is limited only on the instance group
   * (limit + overhead): under cgroup v1 an OOM kill is counted only in the group whose limit was hit,
   * and the runtime reads the instance group's counter to report OOM_KILLED. On a pure cgroup v2
   * host the supervisor stays out and runc is given the instance group itself (absolute
   * cgroupsPath): runc sets the CPU and pids limits there, memory stays at limit + overhead, and runc
   * removes the group when the container ends, so an OOM kill is reported as FAILED with 137 there.
   * Not exercised on this (hybrid) host.
   */
  static final int RUNC_TASKS = 32;
  static final long RUNC_MEMORY = 32L << 20;

  private final InstanceStore store;
  private final Enforcement enforcement;
  private final boolean installPackages;
  private volatile boolean checked;

  RuncLauncher(InstanceStore store, Enforcement enforcement, boolean installPackages) {
    this.store = store;
    this.enforcement = enforcement;
    this.installPackages = installPackages;
  }

  /** The argv (supervisor + runc) of one run; writes the bundle first. */
  List<String> command(
      InstanceRecord record,
      Cgroups.InstanceCgroup cgroup,
      Map<String, String> env,
      String cgroupName) {
    requireRunc();
    InstanceId id = record.instanceId();
    StoredSpec spec = record.spec();
    Path bundle = bundleDir(id);
    // cgroup v2: the supervisor must not join the instance group (no internal processes: runc
    // could not enable controllers for a child); runc puts the container into the group itself.
    Optional<Path> unified = cgroup.unifiedDir();
    String cgroupsPath = unified.map(RuncLauncher::unifiedPath).orElse(cgroupName);
    Path rootfs = spec.imageRootfs().orElseThrow();
    ImageUser user;
    try {
      user = ImageUser.resolve(spec.imageUser(), rootfs);
    } catch (IllegalArgumentException e) {
      throw new WorkerException("cannot run " + id + ": " + e.getMessage(), e);
    }
    RuncBundle.Inputs inputs =
        new RuncBundle.Inputs(
            rootfs,
            store.workDir(id),
            spec.appDirPath(),
            Math.max(record.uid(), 0),
            user,
            id.value(),
            spec.workingDir(),
            env,
            spec.command(),
            spec.limits().tmpBytes(),
            0,
            (int) cgroupLimit(enforcement.cpu(), spec.limits().cpuMillis()),
            (int) cgroupLimit(enforcement.processes(), spec.limits().maxProcesses()),
            Launcher.rlimits(spec, enforcement),
            cgroupsPath);
    try {
      RuncBundle.write(bundle, inputs);
    } catch (IOException e) {
      throw new WorkerException("cannot write the OCI bundle of " + id + ": " + e.getMessage(), e);
    }
    delete(id);
    List<String> argv =
        SandboxCommand.supervisor(
            store.exitFile(id), unified.isPresent() ? List.of() : cgroup.procsFiles());
    argv.addAll(runc());
    argv.addAll(List.of("run", "--bundle", bundle.toString(), id.value()));
    return argv;
  }

  /** A v2 group directory as runc's absolute {@code cgroupsPath} (below the cgroup2 mount). */
  private static String unifiedPath(Path dir) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
        String[] halves = line.split(" - ", 2);
        String[] fields = halves[0].split(" ");
        if (halves.length == 2 && halves[1].startsWith("cgroup2 ") && fields.length > 4) {
          Path mount = Path.of(fields[4]);
          if (dir.startsWith(mount)) {
            return "/" + mount.relativize(dir);
          }
        }
      }
    } catch (IOException e) {
      throw new WorkerException("cannot read /proc/self/mountinfo: " + e.getMessage(), e);
    }
    throw new WorkerException("no cgroup2 mount holds " + dir);
  }

  /** The limits of the instance cgroup that holds the supervisor, runc and the container. */
  static Limits groupLimits(Limits limits) {
    Limits out = limits;
    if (limits.memoryBytes() > 0) {
      out = out.withMemoryBytes(limits.memoryBytes() + RUNC_MEMORY);
    }
    if (limits.maxProcesses() > 0) {
      out = out.withMaxProcesses(limits.maxProcesses() + RUNC_TASKS);
    }
    return out;
  }

  /** Deletes runc's record of the instance's container if one is left (killed {@code runc run}). */
  void delete(InstanceId id) {
    if (!Files.isDirectory(stateDir().resolve(id.value()))) {
      return;
    }
    List<String> argv = new ArrayList<>(runc());
    argv.addAll(List.of("delete", "--force", id.value()));
    ProcessBuilder builder = new ProcessBuilder(argv);
    builder.environment().clear();
    builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    try {
      Process p = builder.start();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    } catch (IOException e) {
      throw new WorkerException("cannot run runc delete for " + id + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Path bundleDir(InstanceId id) {
    return store.dir(id).resolve("oci");
  }

  private Path stateDir() {
    return store.root().resolve("runc");
  }

  private List<String> runc() {
    return List.of(SandboxCommand.tool("runc"), "--root", stateDir().toString());
  }

  private void requireRunc() {
    if (!checked) {
      SystemPackages.require(Map.of("runc", "runc"), installPackages);
      checked = true;
    }
  }

  private static long cgroupLimit(Mechanism mechanism, long value) {
    return mechanism == Mechanism.CGROUP_V1 || mechanism == Mechanism.CGROUP_V2 ? value : 0;
  }
}
