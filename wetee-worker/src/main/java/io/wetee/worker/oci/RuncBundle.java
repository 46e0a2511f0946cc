package io.wetee.worker.oci;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wetee.common.Json;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writes the OCI runtime bundle of one image instance: {@code config.json} (runtime-spec 1.0) and
 * the instance's root directory. Used by the local runtime; public only because the runtime lives
 * in the parent package.
 *
 * <p>Design notes: the unpacked image is shared by every instance of it and must never be written,
 * yet runc creates missing mount points inside the root it is given (for {@code /work}, {@code
 * /.wetee/jdk}, ...). So the root runc sees is a small per-instance skeleton: one read-only bind of
 * each top-level directory and file of the image, its top-level symlinks copied, and the runtime's
 * own mount points ({@code /proc /dev /sys /tmp /work /.wetee}) as fresh directories. Every mount
 * point runc needs then exists in the skeleton, nothing is created in the image, and the skeleton
 * itself becomes read-only ({@code root.readonly}). The instance shares the host's network
 * namespace (its ports are 127.0.0.1 host ports, as for the bubblewrap sandbox); it has its own
 * pid, ipc, uts and mount namespaces, runs as its own unprivileged host uid with no capability and
 * {@code noNewPrivileges}, and its cgroup sits under the instance cgroup the supervisor joined
 * ({@code cgroupsPath} is relative: runc resolves it against its own cgroup).
 *
 * <p>The image's {@code User} ({@link ImageUser}) is honoured through a user namespace that maps
 * the image's uid and gid, one id each, to the instance's host uid: inside, {@code id} shows the
 * image's user; on the host the program is the instance's uid exactly as without a namespace. runc
 * needs the namespace's root mapped as well (its init sets the container up as that root); when the
 * image's user is not root, root maps to the host's overflow id 65534, which only runc's init
 * holds, non-dumpable, before it switches to the image's user. Everything else (the image's files,
 * owned by host root or the layers' uids) shows as 65534 inside. {@code /sys} cannot be mounted
 * fresh in a user namespace that shares the host's network namespace, so it is the host's, bound
 * recursively read-only with the mounts below it masked.
 */
public final class RuncBundle {
  /** Top-level names the runtime mounts itself; the image's entries of that name are hidden. */
  private static final Set<String> RESERVED = Set.of("proc", "dev", "sys", "tmp", "work", ".wetee");

  private static final List<String> MASKED =
      List.of(
          "/proc/acpi",
          "/proc/asound",
          "/proc/kcore",
          "/proc/keys",
          "/proc/latency_stats",
          "/proc/timer_list",
          "/proc/timer_stats",
          "/proc/sched_debug",
          "/proc/scsi",
          "/sys/firmware",
          // Host mounts below /sys that the bind brings along (other instances' cgroups, kernel
          // interfaces): hidden, as under a fresh sysfs. Absent ones are skipped by runc.
          "/sys/fs/cgroup",
          "/sys/fs/bpf",
          "/sys/fs/fuse/connections",
          "/sys/fs/pstore",
          "/sys/kernel/config",
          "/sys/kernel/debug",
          "/sys/kernel/security",
          "/sys/kernel/tracing");

  private static final List<String> READ_ONLY =
      List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");

  /** The host's overflow uid and gid ({@code nobody}, {@code nogroup}). */
  static final int OVERFLOW_ID = 65534;

  /** A POSIX resource limit ({@code RLIMIT_NOFILE} ...), soft and hard. */
  public record Rlimit(String type, long soft, long hard) {}

  /**
   * Everything one bundle needs.
   *
   * @param imageRootfs the unpacked image (host path), never written
   * @param workDir the instance's private work directory (host path), at {@code /work} read-write
   * @param appDir a read-only program directory at {@link ImageMounts#APP}, if any
   * @param uid the host uid (and gid) the program runs as
   * @param user the image's user inside the instance, mapped to {@code uid} by the instance's user
   *     namespace
   * @param hostname the instance's host name (its own uts namespace)
   * @param cwd the working directory inside the instance
   * @param env the program's complete environment
   * @param args the program and its arguments
   * @param tmpBytes size of {@code /tmp} and {@code /dev/shm}
   * @param memoryBytes cgroup memory limit; 0: none in the bundle (the local runtime limits memory
   *     on the enclosing instance cgroup instead)
   * @param cpuMillis cgroup CPU bandwidth in milli-cores; 0: none in the bundle
   * @param pids cgroup process limit; 0: none in the bundle
   * @param rlimits resource limits of the program
   * @param cgroupsPath the container's cgroup, relative to runc's own
   */
  public record Inputs(
      Path imageRootfs,
      Path workDir,
      Optional<Path> appDir,
      int uid,
      ImageUser user,
      String hostname,
      String cwd,
      Map<String, String> env,
      List<String> args,
      long tmpBytes,
      long memoryBytes,
      int cpuMillis,
      int pids,
      List<Rlimit> rlimits,
      String cgroupsPath) {}

  private RuncBundle() {}

  /**
   * (Re)writes {@code bundleDir/config.json} and the skeleton root {@code bundleDir/rootfs}.
   *
   * @throws IOException when the image root is missing or the bundle cannot be written
   */
  public static void write(Path bundleDir, Inputs in) throws IOException {
    if (!Files.isDirectory(in.imageRootfs(), LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException("the image root " + in.imageRootfs() + " is not a directory");
    }
    if (in.uid() == OVERFLOW_ID || in.uid() == 0) {
      // The namespace's root maps to the overflow id; the program's id must be another one.
      throw new IOException(
          "an image instance cannot run as host uid "
              + in.uid()
              + "; configure a sandbox uid range without 0 and "
              + OVERFLOW_ID);
    }
    Path root = bundleDir.resolve("rootfs");
    deleteTree(root);
    Files.createDirectories(root);
    ObjectNode config = Json.strict().createObjectNode();
    config.put("ociVersion", "1.0.2");
    config.putObject("root").put("path", root.toString()).put("readonly", true);
    config.put("hostname", in.hostname());
    process(config.putObject("process"), in);
    ArrayNode mounts = config.putArray("mounts");
    systemMounts(mounts, root, in);
    imageMounts(mounts, root, in.imageRootfs());
    workingDir(root, in.cwd());
    linux(config.putObject("linux"), in);
    Files.createDirectories(bundleDir);
    Path tmp = bundleDir.resolve("config.json.tmp");
    Files.write(tmp, Json.strict().writerWithDefaultPrettyPrinter().writeValueAsBytes(config));
    Files.move(tmp, bundleDir.resolve("config.json"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private static void process(ObjectNode p, Inputs in) {
    p.put("terminal", false);
    p.putObject("user").put("uid", in.user().uid()).put("gid", in.user().gid());
    ArrayNode args = p.putArray("args");
    in.args().forEach(args::add);
    ArrayNode env = p.putArray("env");
    in.env().forEach((k, v) -> env.add(k + "=" + v));
    p.put("cwd", in.cwd());
    ObjectNode caps = p.putObject("capabilities");
    for (String set : List.of("bounding", "effective", "inheritable", "permitted", "ambient")) {
      caps.putArray(set);
    }
    ArrayNode rlimits = p.putArray("rlimits");
    for (Rlimit r : in.rlimits()) {
      rlimits.addObject().put("type", r.type()).put("soft", r.soft()).put("hard", r.hard());
    }
    p.put("noNewPrivileges", true);
  }

  private static void systemMounts(ArrayNode mounts, Path root, Inputs in) throws IOException {
    String tmp = "size=" + in.tmpBytes();
    mount(mounts, "/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev"));
    mount(
        mounts,
        "/dev",
        "tmpfs",
        "tmpfs",
        List.of("nosuid", "strictatime", "mode=755", "size=65536k"));
    mount(
        mounts,
        "/dev/pts",
        "devpts",
        "devpts",
        List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"));
    mount(
        mounts, "/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", tmp));
    mount(mounts, "/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev"));
    // A user namespace sharing the host's network namespace may not mount sysfs (the kernel ties
    // it to the network namespace's owner): bind the host's, as rootless runc does. Recursively
    // (the host's mounts below it are locked to it in the new namespace), read-only down the tree
    // ("rro"), and with the mounts a fresh sysfs would not have masked (MASKED).
    mount(
        mounts, "/sys", "bind", "/sys", List.of("rbind", "nosuid", "noexec", "nodev", "ro", "rro"));
    mount(mounts, "/tmp", "tmpfs", "tmpfs", List.of("nosuid", "nodev", "mode=1777", tmp));
    mount(mounts, "/work", "bind", in.workDir().toString(), List.of("bind", "nosuid", "nodev"));
    List<String> ro = List.of("bind", "ro", "nosuid", "nodev");
    mount(mounts, ImageMounts.JDK, "bind", ImageMounts.hostJdk().toString(), ro);
    mount(mounts, ImageMounts.LIB, "bind", ImageMounts.hostLibDir().toString(), ro);
    if (in.appDir().isPresent()) {
      mount(mounts, ImageMounts.APP, "bind", in.appDir().get().toString(), ro);
    }
    for (String dir : List.of("proc", "dev", "sys", "tmp", "work", ".wetee/jdk", ".wetee/lib")) {
      Files.createDirectories(root.resolve(dir));
    }
    // runc gives a tmpfs the mode of the directory it covers.
    Files.setAttribute(root.resolve("tmp"), "unix:mode", 01777);
    if (in.appDir().isPresent()) {
      Files.createDirectories(root.resolve(".wetee/app"));
    }
  }

  /** Binds each top-level entry of the image read-only into the skeleton; copies its symlinks. */
  private static void imageMounts(ArrayNode mounts, Path root, Path image) throws IOException {
    List<String> ro = List.of("bind", "ro", "nosuid", "nodev");
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(image)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (RESERVED.contains(name)) {
          continue;
        }
        Path target = root.resolve(name);
        if (Files.isSymbolicLink(entry)) {
          Files.createSymbolicLink(target, Files.readSymbolicLink(entry));
        } else if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectory(target);
          mount(mounts, "/" + name, "bind", entry.toString(), ro);
        } else if (Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
          Files.createFile(target);
          mount(mounts, "/" + name, "bind", entry.toString(), ro);
        }
      }
    }
    for (Path p : List.of(root, root.resolve(".wetee"))) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  /**
   * Creates a working directory the image lacks at its top level in the skeleton. runc creates a
   * missing one as the namespace's root, which, being unmapped on the host, may not write the
   * skeleton (and must never write the image).
   */
  private static void workingDir(Path root, String cwd) throws IOException {
    if (!cwd.startsWith("/")) {
      return; // runc refuses a relative cwd itself
    }
    Path relative = Path.of("/").relativize(Path.of(cwd).normalize());
    if (relative.toString().isEmpty() || relative.startsWith("..")) {
      return;
    }
    Path top = root.resolve(relative.getName(0));
    if (!Files.exists(top, LinkOption.NOFOLLOW_LINKS)) {
      Path dir = Files.createDirectories(root.resolve(relative));
      for (Path p = dir; !p.equals(root); p = p.getParent()) {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
    }
  }

  private static void linux(ObjectNode linux, Inputs in) {
    ArrayNode ns = linux.putArray("namespaces");
    for (String type : List.of("pid", "ipc", "uts", "mount", "user")) {
      ns.addObject().put("type", type);
    }
    idMappings(linux.putArray("uidMappings"), in.user().uid(), in.uid());
    idMappings(linux.putArray("gidMappings"), in.user().gid(), in.uid());
    linux.put("cgroupsPath", in.cgroupsPath());
    ObjectNode resources = linux.putObject("resources");
    resources.putArray("devices").addObject().put("allow", false).put("access", "rwm");
    if (in.memoryBytes() > 0) {
      resources.putObject("memory").put("limit", in.memoryBytes());
    }
    if (in.cpuMillis() > 0) {
      resources.putObject("cpu").put("quota", in.cpuMillis() * 100L).put("period", 100_000L);
    }
    if (in.pids() > 0) {
      resources.putObject("pids").put("limit", in.pids());
    }
    ArrayNode masked = linux.putArray("maskedPaths");
    MASKED.forEach(masked::add);
    ArrayNode readOnly = linux.putArray("readonlyPaths");
    READ_ONLY.forEach(readOnly::add);
  }

  /**
   * Maps the image's id to the instance's host id. runc needs the namespace's root mapped too (its
   * init sets the container up as that root before it switches to the image's user): when the
   * image's id is not 0, root maps to the host's overflow id 65534, which no program of an instance
   * ever runs as.
   */
  private static void idMappings(ArrayNode mappings, int inside, int host) {
    mappings.addObject().put("containerID", inside).put("hostID", host).put("size", 1);
    if (inside != 0) {
      mappings.addObject().put("containerID", 0).put("hostID", OVERFLOW_ID).put("size", 1);
    }
  }

  private static void mount(
      ArrayNode mounts, String destination, String type, String source, List<String> options) {
    ObjectNode m = mounts.addObject();
    m.put("destination", destination).put("type", type).put("source", source);
    ArrayNode opts = m.putArray("options");
    options.forEach(opts::add);
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
