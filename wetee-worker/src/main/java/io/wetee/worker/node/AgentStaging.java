package io.wetee.worker.node;

import io.wetee.worker.WorkerException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Puts the agent where a sandbox can run it: the program directory an instance sees at {@code /app}
 * is the unpacked bundle plus {@code /app/.wetee-agent/} holding the agent's class path.
 *
 * <p>Design notes: a sandbox sees only {@code /usr}, {@code /app}, {@code /work} and {@code /tmp}
 * (see the local runtime), and the bundle cache is shared and read-only by convention. So the
 * worker stages its own class path once ({@code dataDir/agent}, the agent runs the worker's exact
 * code) and composes, once per bundle digest, {@code dataDir/apps/<sha256>/}: hard links to the
 * bundle's files and the staged agent (copies when the file systems differ), made in a temporary
 * directory and renamed, so a crash never leaves a half-composed program directory in use. Every
 * directory is 0755 and every file keeps its mode: sandboxes read them under their own uids. The
 * surefire/failsafe manifest-only class-path jar is expanded to the entries it names.
 */
final class AgentStaging {
  static final String AGENT_DIR = ".wetee-agent";
  private final Path root;
  private final Path agentDir;
  private final List<String> classPath;

  private AgentStaging(Path root, Path agentDir, List<String> classPath) {
    this.root = root;
    this.agentDir = agentDir;
    this.classPath = classPath;
  }

  /** Stages this JVM's class path under {@code dataDir/agent} (fresh on every worker start). */
  static AgentStaging stage(Path dataDir) {
    Path agent = dataDir.resolve("agent");
    try {
      deleteTree(agent);
      Files.createDirectories(agent);
      open(dataDir);
      open(agent);
      List<String> cp = new ArrayList<>();
      int n = 0;
      for (Path entry : classPathEntries()) {
        String name = String.format("%03d-%s", n++, entry.getFileName());
        if (name.contains("slf4j-nop")) {
          continue; // the agent would otherwise log nowhere even when a real provider is there
        }
        Path target = agent.resolve(name);
        if (Files.isDirectory(entry)) {
          copyTree(entry, target);
        } else if (Files.isRegularFile(entry)) {
          link(entry, target);
        } else {
          continue;
        }
        cp.add("/app/" + AGENT_DIR + "/" + name);
      }
      Files.createDirectories(dataDir.resolve("apps"));
      open(dataDir.resolve("apps"));
      return new AgentStaging(dataDir.resolve("apps"), agent, List.copyOf(cp));
    } catch (IOException e) {
      throw new WorkerException("cannot stage the agent in " + agent + ": " + e.getMessage(), e);
    }
  }

  /** The agent's class path as seen inside the sandbox. */
  String sandboxClassPath() {
    return String.join(":", classPath);
  }

  /** The program directory for a bundle: its files plus the agent; composed on first use. */
  synchronized Path appDir(String sha256, Path bundleRoot) {
    Path app = root.resolve(sha256);
    if (Files.isDirectory(app)) {
      return app;
    }
    Path tmp = root.resolve(sha256 + ".tmp");
    try {
      deleteTree(tmp);
      copyTree(bundleRoot, tmp);
      copyTree(agentDir, tmp.resolve(AGENT_DIR));
      Files.move(tmp, app, StandardCopyOption.ATOMIC_MOVE);
      return app;
    } catch (IOException e) {
      throw new WorkerException("cannot compose the program directory " + app, e);
    }
  }

  private static Set<Path> classPathEntries() throws IOException {
    Set<Path> out = new LinkedHashSet<>();
    for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      if (e.isBlank()) {
        continue;
      }
      Path p = Path.of(e).toAbsolutePath().normalize();
      List<Path> manifest = manifestClassPath(p);
      if (manifest.isEmpty()) {
        out.add(p);
      } else {
        out.addAll(manifest);
      }
    }
    return out;
  }

  /** The Class-Path of a manifest-only jar (surefire's booter), else empty. */
  private static List<Path> manifestClassPath(Path jar) throws IOException {
    if (!Files.isRegularFile(jar) || !jar.toString().endsWith(".jar")) {
      return List.of();
    }
    try (JarFile f = new JarFile(jar.toFile())) {
      if (f.size() > 2 || f.getManifest() == null) {
        return List.of();
      }
      String cp = f.getManifest().getMainAttributes().getValue("Class-Path");
      if (cp == null) {
        return List.of();
      }
      List<Path> out = new ArrayList<>();
      for (String u : cp.trim().split("\\s+")) {
        URI uri = jar.toUri().resolve(u);
        out.add(Path.of(uri).toAbsolutePath().normalize());
      }
      return out;
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isSymbolicLink(p)) {
          Files.createSymbolicLink(target, Files.readSymbolicLink(p));
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectories(target);
          open(target);
        } else {
          link(p, target);
        }
      }
    }
  }

  private static void link(Path from, Path to) throws IOException {
    try {
      Files.createLink(to, from);
    } catch (FileAlreadyExistsException e) {
      throw e;
    } catch (IOException | UnsupportedOperationException e) {
      try (InputStream in = Files.newInputStream(from)) {
        Files.copy(in, to);
      }
    }
    if (!Files.getPosixFilePermissions(to)
        .contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ)) {
      // Hard links share the mode: a copy keeps the original file untouched.
      Files.delete(to);
      Files.copy(from, to);
      Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rw-r--r--"));
    }
  }

  private static void open(Path dir) throws IOException {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
