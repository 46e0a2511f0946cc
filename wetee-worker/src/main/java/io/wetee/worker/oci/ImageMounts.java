package io.wetee.worker.oci;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the host's Java reaches an image instance. An OCI image may have no C library at all
 * (busybox-static) or its own; the agent is a Java program, so the runtime binds, read-only, the
 * host JDK at {@link #JDK}, the host's C library directory at {@link #LIB} and the caller's program
 * directory ({@code LaunchSpec.appDir}, for the worker the staged agent) at {@link #APP}.
 *
 * <p>Design notes: the JVM is started through the host's dynamic loader with {@code --library-path}
 * ({@link #javaCommand()}) rather than with {@code LD_LIBRARY_PATH} or a loader bound at {@code
 * /lib64}: nothing is mounted over the image's own directories, and no variable leaks into the
 * environment of the program the agent starts (a program with its own glibc would break on the
 * host's). The JVM starts children with {@code launchMechanism=FORK}: the default (posix_spawn of
 * {@code jspawnhelper}) would exec a dynamically linked helper that needs a loader at {@code
 * /lib64}, which the image may not have; fork+exec runs the image's program directly.
 */
public final class ImageMounts {
  /** The host JDK inside an image instance. */
  public static final String JDK = "/.wetee/jdk";

  /** The host's C library directory (the dynamic loader's) inside an image instance. */
  public static final String LIB = "/.wetee/lib";

  /** The caller's program directory ({@code LaunchSpec.appDir}) inside an image instance. */
  public static final String APP = "/.wetee/app";

  /** The dynamic loader of x86_64 glibc, as programs name it. */
  static final Path HOST_LOADER = Path.of("/lib64/ld-linux-x86-64.so.2");

  private ImageMounts() {}

  /**
   * The command prefix that runs the host JDK's {@code java} inside an image instance, whatever C
   * library the image has: the host loader, its library directory, the launcher, and the system
   * property that makes the JVM fork+exec its children. Append JVM options, class path and main
   * class.
   */
  public static List<String> javaCommand() {
    String loader = LIB + "/" + HOST_LOADER.getFileName();
    return List.of(
        loader,
        "--library-path",
        LIB,
        JDK + "/bin/java",
        "-Djdk.lang.Process.launchMechanism=FORK");
  }

  /** The host directory that holds the dynamic loader and the C library. */
  static Path hostLibDir() {
    try {
      return HOST_LOADER.toRealPath().getParent();
    } catch (IOException e) {
      throw new IllegalStateException("no x86_64 glibc loader at " + HOST_LOADER, e);
    }
  }

  /** The JDK the worker runs on, bound into image instances. */
  static Path hostJdk() {
    Path home = Path.of(System.getProperty("java.home"));
    if (!Files.isExecutable(home.resolve("bin/java"))) {
      throw new IllegalStateException("no java launcher under " + home);
    }
    return home;
  }
}
