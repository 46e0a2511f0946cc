package io.wetee.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** Builds the host command line that runs one instance in a bubblewrap sandbox. */
final class SandboxCommand {
  /*
   * Design notes: the process tree of a running instance is
   *
   *   setsid sh (supervisor, root) -> [prlimit -> setpriv ->] bwrap -> bwrap (pid 1 of the
   *   sandbox's pid namespace) -> the program (pid 2)
   *
   * setsid detaches the tree from the worker's session, so a Ctrl-C or the worker's death does not
   * reach it: instances outlive the worker by design and are adopted by its next run. The
   * supervisor joins the instance's cgroups before anything else runs (no child can fork outside),
   * waits for bwrap, and writes the exit status to a file the worker reads even when it was not the
   * supervisor's parent. bwrap runs with --die-with-parent: killing the supervisor or the outer bwrap
   * kills the sandbox's pid namespace and with it every process inside. prlimit applies the rlimits
   * (inherited through exec), setpriv drops to the instance's own uid when the worker is root, so
   * bwrap itself runs unprivileged: it must create a user namespace and holds no capability on the
   * host. Inside: read-only /usr and the merged-/usr symlinks, a minimal /etc, fresh /proc, a
   * read-only /dev with the usual nodes, size-capped tmpfs /tmp and /dev/shm, /app read-only,
   * /work read-write, and a read-only root; nothing else of the host file system exists. The host network namespace is shared (see README: ports on 127.0.0.1).
   */

  static final String SUPERVISOR =
      """
      exit_file=$1; shift
      while [ "$1" != -- ]; do
        if ! echo $$ > "$1"; then
          echo "wetee: cannot join cgroup $1" >&2
          echo launch > "$exit_file"
          exit 125
        fi
        shift
      done
      shift
      "$@"
      rc=$?
      echo $rc > "$exit_file.tmp" && mv -f "$exit_file.tmp" "$exit_file"
      exit $rc
      """;

  /** Host directories that merged-/usr systems make symlinks into /usr. */
  private static final List<String> ROOT_LINKS =
      List.of("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32");

  /** /etc entries a program typically needs (dynamic linker, TLS roots, name resolution, time). */
  private static final List<String> ETC =
      List.of(
          "ld.so.cache",
          "ld.so.conf",
          "ld.so.conf.d",
          "alternatives",
          "ssl",
          "ca-certificates",
          "ca-certificates.conf",
          "nsswitch.conf",
          "host.conf",
          "hosts",
          "resolv.conf",
          "gai.conf",
          "localtime",
          "timezone",
          "mime.types",
          "protocols",
          "services");

  /** Everything one launch needs; paths are on the host. */
  record Inputs(
      Path exitFile,
      List<Path> cgroupProcs,
      Path workDir,
      Path etcDir,
      Optional<Path> appDir,
      OptionalInt uid,
      List<String> rlimits,
      String hostname,
      String workingDir,
      Map<String, String> env,
      long tmpBytes,
      List<String> command) {}

  private SandboxCommand() {}

  static List<String> build(Inputs in) {
    List<String> argv = supervisor(in.exitFile(), in.cgroupProcs());
    argv.add(tool("prlimit"));
    argv.addAll(in.rlimits());
    argv.add("--");
    if (in.uid().isPresent()) {
      String id = Integer.toString(in.uid().getAsInt());
      argv.addAll(
          List.of(tool("setpriv"), "--reuid=" + id, "--regid=" + id, "--clear-groups", "--"));
    }
    argv.add(tool("bwrap"));
    argv.addAll(namespaces(in.hostname()));
    argv.addAll(fileSystem(in));
    argv.add("--clearenv");
    in.env().forEach((k, v) -> argv.addAll(List.of("--setenv", k, v)));
    argv.addAll(List.of("--chdir", in.workingDir(), "--"));
    argv.addAll(in.command());
    return argv;
  }

  /**
   * The detached supervisor that joins the cgroups, runs the command that follows and records its
   * exit status; append the command.
   */
  static List<String> supervisor(Path exitFile, List<Path> cgroupProcs) {
    List<String> argv = new ArrayList<>();
    argv.addAll(List.of(tool("setsid"), "/bin/sh", "-c", SUPERVISOR, "wetee-supervisor"));
    argv.add(exitFile.toString());
    cgroupProcs.forEach(p -> argv.add(p.toString()));
    argv.add("--");
    return argv;
  }

  private static List<String> namespaces(String hostname) {
    return List.of(
        "--unshare-user",
        "--disable-userns",
        "--unshare-pid",
        "--unshare-ipc",
        "--unshare-uts",
        "--unshare-cgroup-try",
        "--hostname",
        hostname,
        "--die-with-parent",
        "--new-session");
  }

  private static List<String> fileSystem(Inputs in) {
    List<String> args = new ArrayList<>(List.of("--ro-bind", "/usr", "/usr"));
    for (String dir : ROOT_LINKS) {
      args.addAll(rootEntry(Path.of(dir)));
    }
    for (String name : ETC) {
      String host = "/etc/" + name;
      args.addAll(List.of("--ro-bind-try", host, host));
    }
    for (String name : List.of("passwd", "group", "hostname")) {
      args.addAll(List.of("--ro-bind", in.etcDir().resolve(name).toString(), "/etc/" + name));
    }
    args.addAll(List.of("--proc", "/proc", "--dev", "/dev"));
    String size = Long.toString(in.tmpBytes());
    args.addAll(List.of("--size", size, "--perms", "1777", "--tmpfs", "/tmp"));
    args.addAll(List.of("--size", size, "--perms", "1777", "--tmpfs", "/dev/shm"));
    in.appDir().ifPresent(app -> args.addAll(List.of("--ro-bind", app.toString(), "/app")));
    args.addAll(List.of("--bind", in.workDir().toString(), "/work"));
    // bwrap's root and /dev are uncapped tmpfs mounts: make them read-only once populated.
    args.addAll(List.of("--remount-ro", "/dev", "--remount-ro", "/"));
    return args;
  }

  private static List<String> rootEntry(Path dir) {
    if (Files.isSymbolicLink(dir)) {
      try {
        return List.of("--symlink", Files.readSymbolicLink(dir).toString(), dir.toString());
      } catch (IOException e) {
        throw new WorkerException("cannot read symlink " + dir, e);
      }
    }
    if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return List.of("--ro-bind", dir.toString(), dir.toString());
    }
    return List.of();
  }

  static String tool(String name) {
    return SystemPackages.find(name)
        .orElseThrow(() -> new WorkerException(name + " is missing from the system directories"))
        .toString();
  }
}
