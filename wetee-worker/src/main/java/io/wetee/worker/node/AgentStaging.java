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
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * surefire/failsafe manifest-only class-path jar is expanded to the entries it names; a class
 * directory is packed into a jar (deterministic bytes, the newest file's time), because the JVM's
 * class data sharing only archives classes from jars.
 *
 * <p>Startup (issue #5's 3 s deploy goal): {@link #trainAotCache} runs, once per staged class path,
 * java, and agent options, a training run of the agent ({@code AgentTraining}) with {@code
 * -XX:AOTCacheOutput} (JDK 25, JEP 483/514) in the background and keeps the cache in {@code
 * dataDir/agent-aot/<fingerprint>.aot} (the worker's directory: sandboxes cannot write it). A
 * program directory composed by this worker gets a hard link {@code .wetee-agent/agent.aot} to it
 * (also when the cache is ready only after the composition), and {@link #sandboxAotCache} tells the
 * planner to start the agent with {@code -XX:AOTCache}: its classes come loaded and linked from the
 * cache (measured: the agent's start 2.0-2.3 s to 0.9-1.0 s). The JVM checks the cache against the
 * class path (sizes and times of the jars) and the options, and runs without it when anything
 * differs; a JVM without AOT support fails the training, and agents then start without a cache.
 */
final class AgentStaging {
  static final String AGENT_DIR = ".wetee-agent";
  static final String AOT_FILE = "agent.aot";
  private static final Logger LOG = LoggerFactory.getLogger(AgentStaging.class);
  private final Path root;
  private final Path agentDir;
  private final List<String> classPath;
  private final List<String> names;
  private final Set<String> composedHere = new HashSet<>();
  private volatile Optional<Path> aotCache = Optional.empty();

  private AgentStaging(Path root, Path agentDir, List<String> names) {
    this.root = root;
    this.agentDir = agentDir;
    this.names = names;
    this.classPath = names.stream().map(n -> "/app/" + AGENT_DIR + "/" + n).toList();
  }

  /** Stages this JVM's class path under {@code dataDir/agent} (fresh on every worker start). */
  static AgentStaging stage(Path dataDir) {
    try {
      return stage(dataDir, classPathEntries());
    } catch (IOException e) {
      throw new WorkerException("cannot read this JVM's class path: " + e.getMessage(), e);
    }
  }

  /** Stages {@code entries} (jars and class directories) under {@code dataDir/agent}. */
  static AgentStaging stage(Path dataDir, Collection<Path> entries) {
    Path agent = dataDir.resolve("agent");
    try {
      deleteTree(agent);
      Files.createDirectories(agent);
      open(dataDir);
      open(agent);
      List<String> cp = new ArrayList<>();
      int n = 0;
      for (Path entry : entries) {
        String name = String.format("%03d-%s", n++, entry.getFileName());
        if (name.contains("slf4j-nop")) {
          continue; // the agent would otherwise log nowhere even when a real provider is there
        }
        if (Files.isDirectory(entry)) {
          name = name + ".jar";
          packJar(entry, agent.resolve(name));
        } else if (Files.isRegularFile(entry)) {
          link(entry, agent.resolve(name));
        } else {
          continue;
        }
        cp.add(name);
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

  /**
   * The program directory for a bundle: its files plus the agent (and the agent's AOT cache when it
   * is ready); composed on first use.
   */
  synchronized Path appDir(String sha256, Path bundleRoot) {
    Path app = root.resolve(sha256);
    if (Files.isDirectory(app)) {
      if (composedHere.contains(sha256)) {
        try {
          linkAotCache(app); // composed before the cache was ready: same jars, so it fits
        } catch (IOException e) {
          LOG.warn("cannot link the agent AOT cache into {}: {}", app, e.toString());
        }
      }
      return app;
    }
    Path tmp = root.resolve(sha256 + ".tmp");
    try {
      deleteTree(tmp);
      copyTree(bundleRoot, tmp);
      copyTree(agentDir, tmp.resolve(AGENT_DIR));
      linkAotCache(tmp);
      Files.move(tmp, app, StandardCopyOption.ATOMIC_MOVE);
      composedHere.add(sha256);
      return app;
    } catch (IOException e) {
      throw new WorkerException("cannot compose the program directory " + app, e);
    }
  }

  /**
   * The agent's JVM options for an instance of {@code appDir}: {@code options} plus {@code
   * -XX:AOTCache=} when the directory has the cache ({@code -Xshare:auto}, the default, dropped:
   * the JVM refuses it next to an AOT cache).
   */
  List<String> jvmOptions(List<String> options, Path appDir) {
    Optional<String> cache = sandboxAotCache(appDir);
    if (cache.isEmpty()) {
      return options;
    }
    List<String> out = new ArrayList<>(AgentAotTraining.withoutDefaultSharing(options));
    out.add("-XX:AOTCache=" + cache.get());
    return List.copyOf(out);
  }

  /** The agent's AOT cache as a sandbox of {@code appDir} sees it, when that directory has one. */
  Optional<String> sandboxAotCache(Path appDir) {
    return Files.isRegularFile(appDir.resolve(AGENT_DIR).resolve(AOT_FILE))
        ? Optional.of("/app/" + AGENT_DIR + "/" + AOT_FILE)
        : Optional.empty();
  }

  /** The cache on the worker's side once it is ready (for tests and the log). */
  Optional<Path> aotCache() {
    return aotCache;
  }

  private void linkAotCache(Path app) throws IOException {
    Optional<Path> cache = aotCache;
    Path target = app.resolve(AGENT_DIR).resolve(AOT_FILE);
    if (cache.isPresent() && !Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      Path tmp = app.resolve(AGENT_DIR).resolve(AOT_FILE + ".tmp");
      Files.deleteIfExists(tmp);
      link(cache.get(), tmp);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    }
  }

  /**
   * Makes the agent's AOT cache for {@code java} with {@code javaOptions} (see the class notes and
   * {@link AgentAotTraining}); once it is ready, program directories composed by this worker get
   * it.
   *
   * @return completes with true when a cache is ready (at once when an earlier run made it)
   */
  CompletableFuture<Boolean> trainAotCache(String java, List<String> javaOptions) {
    return AgentAotTraining.cache(agentDir, names, java, javaOptions)
        .thenApply(
            c -> {
              c.ifPresent(this::ready);
              return c.isPresent();
            });
  }

  private synchronized void ready(Path cache) {
    aotCache = Optional.of(cache);
    for (String sha : composedHere) {
      try {
        linkAotCache(root.resolve(sha));
      } catch (IOException e) {
        LOG.warn("cannot link the agent AOT cache into {}: {}", sha, e.toString());
      }
    }
  }

  /**
   * Packs a class directory into a jar whose bytes depend only on the files (sorted entries, fixed
   * entry times) and whose time is the newest file's, so the same classes give the same jar.
   */
  private static void packJar(Path dir, Path jar) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    long newest = 0;
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(jar))) {
      for (Path f : files) {
        ZipEntry e = new ZipEntry(dir.relativize(f).toString().replace('\\', '/'));
        e.setTime(FIXED_ENTRY_TIME);
        out.putNextEntry(e);
        Files.copy(f, out);
        out.closeEntry();
        newest = Math.max(newest, Files.getLastModifiedTime(f).toMillis());
      }
    }
    Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
    Files.setLastModifiedTime(jar, FileTime.fromMillis(Math.max(newest, FIXED_ENTRY_TIME)));
  }

  private static final long FIXED_ENTRY_TIME = 946_684_800_000L; // 2000-01-01T00:00:00Z

  static Set<Path> classPathEntries() throws IOException {
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

  static void link(Path from, Path to) throws IOException {
    try {
      Files.createLink(to, from);
    } catch (FileAlreadyExistsException e) {
      throw e;
    } catch (IOException | UnsupportedOperationException e) {
      try (InputStream in = Files.newInputStream(from)) {
        Files.copy(in, to);
      }
      Files.setLastModifiedTime(to, Files.getLastModifiedTime(from)); // the AOT cache checks it
    }
    if (!Files.getPosixFilePermissions(to)
        .contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ)) {
      // Hard links share the mode: a copy keeps the original file untouched.
      Files.delete(to);
      Files.copy(from, to);
      Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rw-r--r--"));
      Files.setLastModifiedTime(to, Files.getLastModifiedTime(from));
    }
  }

  static void open(Path dir) throws IOException {
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
