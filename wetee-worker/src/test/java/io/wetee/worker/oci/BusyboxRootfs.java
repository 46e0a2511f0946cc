package io.wetee.worker.oci;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

/**
 * Test fixture: a minimal OCI-style root filesystem made of Debian's busybox-static (no C library,
 * no loader) plus a web root, as an unpacked image would look.
 */
final class BusyboxRootfs {
  static final Path BUSYBOX = Path.of("/bin/busybox");

  private BusyboxRootfs() {}

  /** Whether the static busybox is installed (Debian package busybox-static). */
  static boolean available() throws IOException, InterruptedException {
    if (!Files.isExecutable(BUSYBOX)) {
      return false;
    }
    Process p = new ProcessBuilder("file", "-L", BUSYBOX.toString()).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    return out.contains("statically linked") || !out.contains("dynamically linked");
  }

  /** Creates the root under {@code dir/rootfs} with {@code /www/index.html} = {@code page}. */
  static Path create(Path dir, String page) throws IOException {
    Path root = dir.resolve("rootfs");
    Files.createDirectories(root.resolve("bin"));
    Files.copy(BUSYBOX, root.resolve("bin/busybox"));
    for (String tool :
        new String[] {"sh", "ls", "cat", "echo", "id", "sleep", "dd", "httpd", "stat", "grep"}) {
      Files.createSymbolicLink(root.resolve("bin/" + tool), Path.of("busybox"));
    }
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(
        root.resolve("etc/passwd"),
        "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1001:an app:/work:/bin/sh\n");
    Files.writeString(root.resolve("etc/group"), "root:x:0:\napp:x:1001:\nstaff:x:50:app\n");
    Files.createDirectories(root.resolve("www"));
    Files.writeString(root.resolve("www/index.html"), page);
    Files.createDirectories(root.resolve("usr"));
    Files.createSymbolicLink(root.resolve("sbin"), Path.of("bin"));
    open(dir);
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.toList()) {
        if (!Files.isSymbolicLink(p)) {
          Files.setPosixFilePermissions(
              p,
              PosixFilePermissions.fromString(
                  Files.isDirectory(p) || Files.isExecutable(p) ? "rwxr-xr-x" : "rw-r--r--"));
        }
      }
    }
    return root;
  }

  static void open(Path dir) throws IOException {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
