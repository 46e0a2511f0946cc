package io.wetee.agent;

import io.wetee.common.spec.WorkloadSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Turns released secrets into what the program sees: files (mode 0600 in directories the agent
 * creates with mode 0700, written to a temporary file and renamed, so a reader never sees a partial
 * file) and environment variables. Also builds the program's whole environment: only the variables
 * named in {@link #INHERITED} (and {@code WETEE_PORT_*}) pass from the agent's own environment, so
 * a worker cannot inject {@code LD_PRELOAD} or the like; then the spec's {@code env}, then the
 * secrets. Stateless.
 */
final class SecretDelivery {
  /** Variables of the agent's environment the program inherits: runtime plumbing only. */
  static final Set<String> INHERITED =
      Set.of("PATH", "HOME", "USER", "LANG", "LC_ALL", "TZ", "TMPDIR", "PORT");

  private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");

  private SecretDelivery() {}

  /**
   * Where a spec file path lands: {@code root} + the path without its leading slash; {@code .},
   * {@code ..} and empty segments are refused so nothing escapes {@code root}.
   */
  static Path target(Path root, String specPath) {
    String rel = specPath.startsWith("/") ? specPath.substring(1) : specPath;
    for (String segment : rel.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException(
            "file path " + specPath + " is not a plain absolute path");
      }
    }
    return root.resolve(rel);
  }

  /** Writes each file of the container with its secret's value; returns the paths written. */
  static List<Path> writeFiles(
      Path root, List<WorkloadSpec.FileMount> files, Function<String, byte[]> secret)
      throws IOException {
    List<Path> written = new java.util.ArrayList<>();
    for (WorkloadSpec.FileMount f : files) {
      Path target = target(root, f.path());
      makeDirs(target.getParent());
      byte[] value = secret.apply(f.secret());
      try {
        write(target, value);
      } finally {
        java.util.Arrays.fill(value, (byte) 0);
      }
      written.add(target);
    }
    return written;
  }

  private static void makeDirs(Path dir) throws IOException {
    if (dir == null || Files.isDirectory(dir)) {
      return;
    }
    makeDirs(dir.getParent());
    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR));
  }

  private static void write(Path target, byte[] value) throws IOException {
    Path tmp =
        Files.createTempFile(
            target.getParent(), ".wetee-", ".tmp", PosixFilePermissions.asFileAttribute(FILE));
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer b = ByteBuffer.wrap(value);
        while (b.hasRemaining()) {
          ch.write(b);
        }
        ch.force(true);
      }
      try {
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      Files.setPosixFilePermissions(target, FILE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * The program's environment (see the class description).
   *
   * @param agentEnv the agent's own environment
   * @param specEnv the container's {@code env}
   * @param secretEnv the container's {@code secretEnv}: variable name to secret name
   * @param secret a secret's value by name
   * @param wetee {@code WETEE_*} variables describing the instance
   * @throws IllegalArgumentException when a secret is not text an environment can hold
   */
  static Map<String, String> environment(
      Map<String, String> agentEnv,
      Map<String, String> specEnv,
      Map<String, String> secretEnv,
      Function<String, byte[]> secret,
      Map<String, String> wetee) {
    Map<String, String> env = new LinkedHashMap<>();
    new TreeMap<>(agentEnv)
        .forEach(
            (k, v) -> {
              if (INHERITED.contains(k) || k.startsWith("WETEE_PORT_")) {
                env.put(k, v);
              }
            });
    env.putAll(wetee);
    env.putAll(specEnv);
    secretEnv.forEach((variable, name) -> env.put(variable, text(name, secret.apply(name))));
    return env;
  }

  private static String text(String name, byte[] value) {
    try {
      String s =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(value))
              .toString();
      if (s.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("secret " + name + " contains a NUL byte");
      }
      return s;
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("secret " + name + " is not UTF-8 text", e);
    } finally {
      java.util.Arrays.fill(value, (byte) 0);
    }
  }
}
