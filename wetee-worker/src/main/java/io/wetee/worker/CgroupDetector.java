package io.wetee.worker;

import io.wetee.worker.Cgroups.Controller;
import io.wetee.worker.spi.Enforcement.Mechanism;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/** Finds which cgroup controllers this process may delegate to sandboxes. */
final class CgroupDetector {
  /*
   * Design notes: the inputs are the texts of /proc/self/mountinfo and /proc/self/cgroup plus a
   * root directory that mount points are resolved against (/ on a host, a temporary tree in tests).
   * v2: the cgroup2 mount, our path from the "0::" line, the controllers listed in our
   * cgroup.controllers; the "no internal processes" rule means our own cgroup may only enable
   * controllers for children while it holds no process, so if enabling fails the worker moves
   * itself into a leaf child ("worker") first, as delegated services do. v1: per controller, the
   * hierarchy mounted with it and our path in it. A controller is usable when its group root can be
   * created; v2 is preferred per controller.
   */

  static final List<String> CONTROLLERS = List.of("memory", "cpu", "pids");

  private final Path root;
  private final String mountinfo;
  private final String selfCgroup;
  private final long selfPid;
  private final List<String> problems = new ArrayList<>();

  CgroupDetector(Path root, String mountinfo, String selfCgroup, long selfPid) {
    this.root = root;
    this.mountinfo = mountinfo;
    this.selfCgroup = selfCgroup;
    this.selfPid = selfPid;
  }

  /** Detection on this host. */
  static Cgroups detectHost(String groupName) {
    try {
      String mountinfo = Files.readString(Path.of("/proc/self/mountinfo"));
      String cgroup = Files.readString(Path.of("/proc/self/cgroup"));
      return new CgroupDetector(Path.of("/"), mountinfo, cgroup, ProcessHandle.current().pid())
          .detect(groupName);
    } catch (IOException e) {
      return Cgroups.none("cannot read /proc/self/mountinfo or /proc/self/cgroup");
    }
  }

  Cgroups detect(String groupName) {
    Map<String, Controller> found = new LinkedHashMap<>(v2(groupName));
    for (String name : CONTROLLERS) {
      if (!found.containsKey(name)) {
        v1(name, groupName).ifPresent(c -> found.put(name, c));
      }
    }
    String detail =
        found.isEmpty()
            ? "no writable cgroup controller: " + String.join("; ", problems)
            : describe(found);
    return new Cgroups(
        Optional.ofNullable(found.get("memory")),
        Optional.ofNullable(found.get("cpu")),
        Optional.ofNullable(found.get("pids")),
        detail);
  }

  private String describe(Map<String, Controller> found) {
    List<String> parts = new ArrayList<>();
    found.forEach((name, c) -> parts.add(name + " via " + c.mechanism() + " at " + c.groupRoot()));
    for (String name : CONTROLLERS) {
      if (!found.containsKey(name)) {
        parts.add(name + " not available");
      }
    }
    if (!problems.isEmpty()) {
      parts.add("notes: " + String.join("; ", problems));
    }
    return String.join(", ", parts);
  }

  private Map<String, Controller> v2(String groupName) {
    Optional<Mount> mount = mountPoint("cgroup2", null);
    Optional<String> own = ownPath(line -> line.startsWith("0::"));
    if (mount.isEmpty() || own.isEmpty()) {
      problems.add("no cgroup2 hierarchy");
      return Map.of();
    }
    Path dir = resolve(mount.get(), own.get());
    List<String> wanted = availableV2(dir);
    if (wanted.isEmpty()) {
      problems.add("cgroup v2 at " + dir + " offers none of " + CONTROLLERS);
      return Map.of();
    }
    Path groupRoot = dir.resolve(groupName);
    if (!enableV2(dir, groupRoot, wanted)) {
      return Map.of();
    }
    Map<String, Controller> found = new LinkedHashMap<>();
    for (String name : wanted) {
      found.put(name, new Controller(name, Mechanism.CGROUP_V2, groupRoot));
    }
    return found;
  }

  private List<String> availableV2(Path dir) {
    try {
      List<String> offered =
          List.of(Files.readString(dir.resolve("cgroup.controllers")).split("\\s+"));
      return CONTROLLERS.stream().filter(offered::contains).toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private boolean enableV2(Path dir, Path groupRoot, List<String> wanted) {
    String enable = String.join(" ", wanted.stream().map(c -> "+" + c).toList());
    try {
      Files.createDirectories(groupRoot);
      try {
        Files.writeString(dir.resolve("cgroup.subtree_control"), enable);
      } catch (IOException busy) {
        // Our own cgroup holds processes (this JVM): move into a leaf, then enable.
        Path leaf = dir.resolve("worker");
        Files.createDirectories(leaf);
        Files.writeString(leaf.resolve("cgroup.procs"), Long.toString(selfPid));
        Files.writeString(dir.resolve("cgroup.subtree_control"), enable);
      }
      Files.writeString(groupRoot.resolve("cgroup.subtree_control"), enable);
      return true;
    } catch (IOException e) {
      problems.add("cgroup v2 at " + dir + " is not delegated to this process (" + e + ")");
      return false;
    }
  }

  private Optional<Controller> v1(String name, String groupName) {
    Optional<Mount> mount = mountPoint("cgroup", name);
    Optional<String> own =
        ownPath(
            line -> {
              String[] parts = line.split(":", 3);
              return parts.length == 3 && List.of(parts[1].split(",")).contains(name);
            });
    if (mount.isEmpty() || own.isEmpty()) {
      return Optional.empty();
    }
    Path groupRoot = resolve(mount.get(), own.get()).resolve(groupName);
    try {
      Files.createDirectories(groupRoot);
      return Optional.of(new Controller(name, Mechanism.CGROUP_V1, groupRoot));
    } catch (IOException e) {
      problems.add("cgroup v1 " + name + " at " + groupRoot + " is not writable");
      return Optional.empty();
    }
  }

  /** A cgroup mount: where it is mounted and which directory of its hierarchy it shows. */
  private record Mount(String point, String hierarchyRoot) {}

  /** The {@code fsType} mount; for v1 the one whose super options name {@code opt}. */
  private Optional<Mount> mountPoint(String fsType, String opt) {
    for (String line : mountinfo.split("\n")) {
      int dash = line.indexOf(" - ");
      if (dash < 0) {
        continue;
      }
      String[] pre = line.substring(0, dash).split(" ");
      String[] post = line.substring(dash + 3).split(" ");
      boolean typeMatches = post.length >= 3 && post[0].equals(fsType);
      if (typeMatches && (opt == null || List.of(post[2].split(",")).contains(opt))) {
        return Optional.of(new Mount(unescape(pre[4]), unescape(pre[3])));
      }
    }
    return Optional.empty();
  }

  private Optional<String> ownPath(Predicate<String> line) {
    for (String l : selfCgroup.split("\n")) {
      if (line.test(l)) {
        return Optional.of(l.substring(l.indexOf(':', l.indexOf(':') + 1) + 1));
      }
    }
    return Optional.empty();
  }

  /** The directory of {@code cgroupPath} (a path in the hierarchy) under {@code mount}. */
  private Path resolve(Mount mount, String cgroupPath) {
    String path = cgroupPath;
    // A mount may show a sub-tree of the hierarchy (containers): strip the part it hides.
    if (!mount.hierarchyRoot().equals("/") && path.startsWith(mount.hierarchyRoot())) {
      path = path.substring(mount.hierarchyRoot().length());
    }
    Path dir = root.resolve(mount.point().substring(1));
    String relative = path.startsWith("/") ? path.substring(1) : path;
    return relative.isEmpty() ? dir : dir.resolve(relative);
  }

  private static String unescape(String field) {
    return field.replace("\\040", " ").replace("\\011", "\t").replace("\\134", "\\");
  }
}
