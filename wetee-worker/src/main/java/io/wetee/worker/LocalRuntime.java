package io.wetee.worker;

import io.wetee.worker.InstanceRecord.StoredSpec;
import io.wetee.worker.oci.ImageUser;
import io.wetee.worker.spi.Enforcement;
import io.wetee.worker.spi.ExitReason;
import io.wetee.worker.spi.InstanceId;
import io.wetee.worker.spi.InstanceState;
import io.wetee.worker.spi.InstanceStatus;
import io.wetee.worker.spi.LaunchSpec;
import io.wetee.worker.spi.LogStream;
import io.wetee.worker.spi.RuntimeListener;
import io.wetee.worker.spi.StartRefusal;
import io.wetee.worker.spi.StartResult;
import io.wetee.worker.spi.Subscription;
import io.wetee.worker.spi.WorkloadRuntime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The local runtime: every instance in its own bubblewrap sandbox on this host. */
final class LocalRuntime implements WorkloadRuntime {
  /*
   * Design notes: the map of instances is the runtime's memory; the state directory is its durable
   * copy, and the host's /proc is the truth both are checked against at open (adoption, see
   * Supervisor). New ids are admitted under one admission lock, so two concurrent starts never
   * share a uid or a port; everything after admission happens under the instance's own lock.
   * Events go through one single-threaded executor, which keeps their order.
   */

  private static final Logger LOG = LoggerFactory.getLogger(LocalRuntime.class);
  private static final Duration ROTATE_EVERY = Duration.ofSeconds(1);

  private final LocalRuntimeConfig config;
  private final InstanceStore store;
  private final Cgroups cgroups;
  private final Enforcement enforcement;
  private final Launcher launcher;
  private final Supervisor supervisor;
  private final Allocator allocator;
  private final Map<InstanceId, Instance> instances = new ConcurrentSkipListMap<>();
  private final ReentrantLock admission = new ReentrantLock();
  private final Events events = new Events();
  private final Thread rotator;
  private final boolean root;
  private volatile boolean closed;

  LocalRuntime(LocalRuntimeConfig config, InstanceStore store, Cgroups cgroups, boolean root) {
    this.config = config;
    this.store = store;
    this.cgroups = cgroups;
    this.root = root;
    this.enforcement = RuntimeEnforcement.of(cgroups, root);
    byte[] stateName = store.root().toString().getBytes(StandardCharsets.UTF_8);
    String prefix = InstanceRecord.sha256Hex(stateName).substring(0, 8) + "-";
    this.launcher =
        new Launcher(
            store, cgroups, enforcement, prefix, config.installPackages(), config.startAllowance());
    this.supervisor =
        new Supervisor(store, launcher, events::publish, () -> closed, ProcFs.bootId());
    this.allocator = new Allocator(config, root);
    LOG.info("local runtime at {}: {}", store.root(), enforcement.describe());
    store.loadAll().forEach(this::rediscover);
    this.rotator = Thread.ofVirtual().name("log-rotator").start(this::rotateLoop);
  }

  private void rediscover(InstanceRecord record) {
    Instance inst = newInstance(record);
    instances.put(record.instanceId(), inst);
    inst.lock.lock();
    try {
      boolean alive = ProcFs.isSameProcess(record.bootId(), record.pid(), record.startTicks());
      Optional<ProcessHandle> process = alive ? ProcessHandle.of(record.pid()) : Optional.empty();
      if (process.isPresent()) {
        LOG.info("adopted running instance {} (pid {})", record.id(), record.pid());
        launcher.applyLimits(record, inst.cgroup);
        supervisor.adopt(inst, process.get());
      } else {
        supervisor.settleDead(inst);
      }
    } finally {
      inst.lock.unlock();
    }
  }

  private Instance newInstance(InstanceRecord record) {
    InstanceState notYet = new InstanceState.Exited(-1, ExitReason.LOST, Instant.now());
    return new Instance(record, notYet, cgroups.attach(launcher.cgroupName(record.instanceId())));
  }

  @Override
  public String name() {
    return "local";
  }

  @Override
  public Enforcement enforcement() {
    return enforcement;
  }

  @Override
  public StartResult start(LaunchSpec spec) {
    checkOpen();
    StoredSpec stored = StoredSpec.of(spec);
    String digest = stored.digest();
    Instance inst;
    admission.lock();
    try {
      Instance existing = instances.get(spec.id());
      if (existing != null) {
        return existing.locked(() -> startExisting(existing, digest));
      }
      Optional<StartResult.Refused> appDirProblem = checkAppDir(spec);
      if (appDirProblem.isPresent()) {
        return appDirProblem.get();
      }
      Allocator.Allocation allocation = allocator.allocate(spec, instances.values());
      if (allocation.refusal().isPresent()) {
        return allocation.refusal().get();
      }
      inst = newInstance(newRecord(spec, stored, digest, allocation));
      inst.lock.lock();
      instances.put(spec.id(), inst);
    } finally {
      admission.unlock();
    }
    try {
      return launchNew(inst, spec);
    } finally {
      inst.lock.unlock();
    }
  }

  private Optional<StartResult.Refused> checkAppDir(LaunchSpec spec) {
    if (spec.image().isPresent()) {
      Optional<Path> rootfs = spec.image().get().rootfs();
      String problem =
          !root
              ? "image instances need runc, which needs a root worker"
              : rootfs.isEmpty()
                  ? "image " + spec.image().get().reference() + " has no unpacked root here"
                  : !Files.isDirectory(rootfs.get()) ? "no directory " + rootfs.get() : null;
      if (problem != null) {
        return Optional.of(new StartResult.Refused(StartRefusal.IMAGE_UNAVAILABLE, problem));
      }
      try {
        ImageUser.resolve(spec.image().get().user(), rootfs.get());
      } catch (IllegalArgumentException e) {
        return Optional.of(
            new StartResult.Refused(StartRefusal.IMAGE_USER_UNKNOWN, e.getMessage()));
      }
    }
    if (spec.appDir().isEmpty()) {
      return Optional.empty();
    }
    Path dir = spec.appDir().get();
    if (!Files.isDirectory(dir)) {
      return Optional.of(
          new StartResult.Refused(StartRefusal.APP_DIR_MISSING, "no directory " + dir));
    }
    return (root ? HostPaths.unreadableByOthers(dir) : Optional.<String>empty())
        .map(problem -> new StartResult.Refused(StartRefusal.APP_DIR_UNREADABLE, problem));
  }

  private static StartResult startExisting(Instance existing, String digest) {
    if (existing.record.specDigest().equals(digest)) {
      return new StartResult.Existing(existing.status());
    }
    String detail = "instance " + existing.record.id() + " exists with a different launch spec";
    return new StartResult.Refused(StartRefusal.SPEC_CONFLICT, detail);
  }

  private static InstanceRecord newRecord(
      LaunchSpec spec, StoredSpec stored, String digest, Allocator.Allocation allocation) {
    return new InstanceRecord(
        spec.id().value(),
        stored,
        digest,
        allocation.uid(),
        allocation.ports(),
        0,
        true,
        0,
        0,
        "",
        0);
  }

  private StartResult launchNew(Instance inst, LaunchSpec spec) {
    try {
      int uid = inst.record.uid();
      store.prepare(spec.id(), uid >= 0 ? OptionalInt.of(uid) : OptionalInt.empty(), spec.files());
      store.save(inst.record);
      supervisor.launch(inst);
      return new StartResult.Started(inst.status());
    } catch (RuntimeException e) {
      inst.removed = true;
      instances.remove(spec.id());
      store.delete(spec.id());
      throw e;
    }
  }

  @Override
  public Optional<InstanceStatus> stop(InstanceId id, Duration grace) {
    checkOpen();
    Instance inst = instances.get(id);
    if (inst == null) {
      return Optional.empty();
    }
    record Target(ProcessHandle process, long ticks, long generation, boolean image) {}
    Optional<Target> target =
        inst.locked(
            () -> {
              if (inst.record.desiredRunning()) {
                inst.record = inst.record.withDesiredRunning(false);
                store.save(inst.record);
              }
              boolean image = Launcher.isImage(inst.record);
              return inst.process.map(
                  p -> new Target(p, inst.record.startTicks(), inst.generation, image));
            });
    target.ifPresent(
        t -> {
          supervisor.terminate(t.process(), t.ticks(), grace, t.image());
          supervisor.handleExit(inst, t.generation());
        });
    return status(id);
  }

  @Override
  public boolean remove(InstanceId id) {
    checkOpen();
    if (stop(id, Duration.ZERO).isEmpty()) {
      return false;
    }
    Instance inst = instances.get(id);
    if (inst == null) {
      return false;
    }
    inst.lock.lock();
    try {
      inst.removed = true;
      instances.remove(id);
      inst.cgroup.remove();
      store.delete(id);
      return true;
    } finally {
      inst.lock.unlock();
    }
  }

  @Override
  public List<InstanceStatus> list() {
    return instances.values().stream().map(i -> i.locked(i::status)).toList();
  }

  @Override
  public void started(InstanceId id) {
    Instance i = instances.get(id);
    if (i != null) {
      i.locked(
          () -> {
            if (!i.removed) {
              launcher.applyLimits(i.record, i.cgroup);
            }
            return null;
          });
    }
  }

  @Override
  public Optional<InstanceStatus> status(InstanceId id) {
    return Optional.ofNullable(instances.get(id)).map(i -> i.locked(i::status));
  }

  @Override
  public Subscription subscribe(RuntimeListener listener) {
    return events.subscribe(listener);
  }

  @Override
  public Optional<String> readLog(InstanceId id, LogStream stream, int maxBytes) {
    if (!instances.containsKey(id)) {
      return Optional.empty();
    }
    return Optional.of(LogFiles.tail(store.log(id, stream), maxBytes));
  }

  @Override
  public Optional<Subscription> followLog(InstanceId id, LogStream stream, Consumer<String> lines) {
    if (!instances.containsKey(id)) {
      return Optional.empty();
    }
    return Optional.of(LogFiles.follow(store.log(id, stream), lines));
  }

  private void rotateLoop() {
    while (!closed) {
      for (InstanceId id : instances.keySet()) {
        for (LogStream stream : LogStream.values()) {
          try {
            LogFiles.rotateIfLarger(store.log(id, stream), config.logMaxBytes(), config.logFiles());
          } catch (IOException e) {
            LOG.debug("log rotation of {} skipped: {}", id, e.toString());
          }
        }
      }
      try {
        Thread.sleep(ROTATE_EVERY);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new WorkerException("the runtime is closed");
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    rotator.interrupt();
    events.close();
    store.close();
  }
}
