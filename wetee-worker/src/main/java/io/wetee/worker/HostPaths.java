package io.wetee.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;
import java.util.Set;

/** Checks that a host path can be reached by a sandbox's unprivileged uid before it starts. */
final class HostPaths {
  /*
   * Design notes: as root the worker drops to the instance's uid before bwrap runs, so bwrap opens
   * the bind-mount sources (the instance's work and etc directories, the program directory) as that
   * uid. Every ancestor must therefore be searchable by "others" (o+x); the state directory is 0711
   * (search without listing), so no uid can list other instances.
   */

  private HostPaths() {}

  /** Empty when every ancestor of {@code path} is o+x; else the first one that is not. */
  static Optional<String> untraversableAncestor(Path path) {
    Path absolute = path.toAbsolutePath().normalize();
    for (Path p = absolute.getParent(); p != null; p = p.getParent()) {
      if (!has(p, PosixFilePermission.OTHERS_EXECUTE)) {
        return Optional.of(p + " is not searchable by other users (needs o+x)");
      }
    }
    return Optional.empty();
  }

  /** Empty when {@code dir} and its ancestors can be read by any uid; else why not. */
  static Optional<String> unreadableByOthers(Path dir) {
    Optional<String> ancestor = untraversableAncestor(dir);
    if (ancestor.isPresent()) {
      return ancestor;
    }
    boolean readable =
        has(dir, PosixFilePermission.OTHERS_READ) && has(dir, PosixFilePermission.OTHERS_EXECUTE);
    return readable ? Optional.empty() : Optional.of(dir + " is not readable by other users");
  }

  private static boolean has(Path p, PosixFilePermission permission) {
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
      return perms.contains(permission);
    } catch (IOException e) {
      return false;
    }
  }
}
