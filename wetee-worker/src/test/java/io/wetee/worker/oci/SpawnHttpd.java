package io.wetee.worker.oci;

import java.util.Map;

/**
 * Test program run by the host JVM inside a busybox-static image (what the agent does): prints
 * whether the JVM's environment carries a loader path, then starts {@code busybox httpd} with a
 * clean environment and exits with its status.
 */
public final class SpawnHttpd {
  private SpawnHttpd() {}

  public static void main(String[] args) throws Exception {
    System.out.println("java " + Runtime.version() + " in " + System.getProperty("java.home"));
    ProcessBuilder pb =
        new ProcessBuilder(
            "/bin/busybox",
            "httpd",
            "-f",
            "-p",
            "127.0.0.1:" + System.getenv("PORT"),
            "-h",
            "/www");
    Map<String, String> env = pb.environment();
    System.out.println("jvm LD_LIBRARY_PATH=" + env.get("LD_LIBRARY_PATH"));
    env.clear();
    env.put("PATH", "/bin");
    pb.inheritIO();
    Process httpd = pb.start();
    System.out.println("httpd pid " + httpd.pid());
    System.exit(httpd.waitFor());
  }
}
