package io.wetee.oci;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * bench/image-pull: the same multi-layer image from the same loopback docker-registry, pulled and
 * unpacked by our {@link ImageStore} versus {@code skopeo copy} + {@code umoci unpack}, several
 * rounds in one run, medians and ratio; then the cache-hit time of a second pull.
 *
 * <p>Usage: {@code ImagePullBench [ROUNDS] [PACKAGE...]} (default 6 rounds, even so that each side
 * goes first equally often; layers: busybox-static, then the installed files of each Debian
 * package, default perl-modules-5.36 git vim-runtime).
 */
public final class ImagePullBench {
  private ImagePullBench() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 6;
    List<String> packages =
        args.length > 1
            ? List.of(Arrays.copyOfRange(args, 1, args.length))
            : List.of("perl-modules-5.36", "git", "vim-runtime");
    Path skopeo = DebianPackages.require("/usr/bin/skopeo", "skopeo");
    Path umoci = DebianPackages.require("/usr/bin/umoci", "umoci");
    Path work = Files.createTempDirectory("wetee-image-pull-");
    try (LocalRegistry registry = LocalRegistry.start()) {
      RegistryClient client = RegistryClient.create();
      ImageRef pinned = pushImage(client, registry.ref("bench/image", "1"), packages, work);
      List<Double> ours = new ArrayList<>();
      List<Double> skopeoTimes = new ArrayList<>();
      List<Double> umociTimes = new ArrayList<>();
      List<Double> hits = new ArrayList<>();
      List<Double> oursCpu = new ArrayList<>();
      List<Double> toolsCpu = new ArrayList<>();
      for (int round = 1; round <= rounds; round++) {
        Path cache = work.resolve("cache-" + round);
        Path layout = work.resolve("oci-" + round);
        Path bundle = work.resolve("bundle-" + round);
        // Alternate which side goes first so neither always finds a warmer page cache.
        boolean oursFirst = round % 2 == 1;
        if (!oursFirst) {
          double cpu = childrenCpuMs();
          runStandardTools(
              skopeo, umoci, registry, pinned, layout, bundle, skopeoTimes, umociTimes);
          toolsCpu.add(childrenCpuMs() - cpu);
        }
        double cpu = ownCpuMs();
        long start = System.nanoTime();
        PulledImage image = ImageStore.open(cache, client).pull(pinned);
        ours.add(ms(start));
        oursCpu.add(ownCpuMs() - cpu);
        if (oursFirst) {
          cpu = childrenCpuMs();
          runStandardTools(
              skopeo, umoci, registry, pinned, layout, bundle, skopeoTimes, umociTimes);
          toolsCpu.add(childrenCpuMs() - cpu);
        }
        start = System.nanoTime();
        ImageStore.open(cache, client).pull(pinned);
        hits.add(ms(start));
        long oursEntries = count(image.rootfs());
        long theirs = count(bundle.resolve("rootfs"));
        System.out.printf(
            "round %d: ours %.0f ms (cpu %.0f ms) | skopeo %.0f ms + umoci %.0f ms (cpu %.0f ms)"
                + " | cache hit %.2f ms | entries ours %d, umoci %d%n",
            round,
            ours.getLast(),
            oursCpu.getLast(),
            skopeoTimes.getLast(),
            umociTimes.getLast(),
            toolsCpu.getLast(),
            hits.getLast(),
            oursEntries,
            theirs);
        LayerUnpacker.remove(cache);
        LayerUnpacker.remove(layout);
        LayerUnpacker.remove(bundle);
        // Flush this round's writes and deletions now, so that they do not slow down whichever
        // side runs first in the next round.
        run("sync");
      }
      double oursMedian = median(ours);
      double toolsMedian = median(sum(skopeoTimes, umociTimes));
      System.out.printf(
          "%nmedians over %d rounds: ours %.0f ms; skopeo copy %.0f ms + umoci unpack %.0f ms ="
              + " %.0f ms%nratio (skopeo+umoci) / ours = %.2f (goal >= 1.0)%n"
              + "cache hit (second pull of the same digest, new ImageStore): median %.2f ms,"
              + " max %.2f ms (goal < 100 ms)%n"
              + "CPU time per pull (all threads/processes): ours %.0f ms, skopeo+umoci %.0f ms,"
              + " ratio %.2f%n",
          rounds,
          oursMedian,
          median(skopeoTimes),
          median(umociTimes),
          toolsMedian,
          toolsMedian / oursMedian,
          median(hits),
          hits.stream().mapToDouble(Double::doubleValue).max().orElse(0),
          median(oursCpu),
          median(toolsCpu),
          median(toolsCpu) / median(oursCpu));
    } finally {
      LayerUnpacker.remove(work);
    }
  }

  private static void runStandardTools(
      Path skopeo,
      Path umoci,
      LocalRegistry registry,
      ImageRef pinned,
      Path layout,
      Path bundle,
      List<Double> skopeoTimes,
      List<Double> umociTimes)
      throws IOException, InterruptedException {
    long start = System.nanoTime();
    run(
        skopeo.toString(),
        "copy",
        "--quiet",
        "--src-tls-verify=false",
        "docker://"
            + registry.host()
            + "/"
            + pinned.repository()
            + "@"
            + pinned.digest().orElseThrow(),
        "oci:" + layout + ":bench");
    skopeoTimes.add(ms(start));
    start = System.nanoTime();
    run(umoci.toString(), "unpack", "--image", layout + ":bench", bundle.toString());
    umociTimes.add(ms(start));
  }

  /** Pushes busybox plus one layer per Debian package (chunked uploads) and returns the pin. */
  private static ImageRef pushImage(
      RegistryClient client, ImageRef target, List<String> packages, Path work) throws Exception {
    List<Descriptor> layers = new ArrayList<>();
    List<String> diffIds = new ArrayList<>();
    byte[] busybox = TestImages.busyboxLayer();
    layers.add(client.pushBlob(target, "application/vnd.oci.image.layer.v1.tar+gzip", busybox));
    diffIds.add(TestImages.diffId(busybox));
    long compressed = busybox.length;
    for (String pkg : packages) {
      Path file = work.resolve(pkg + ".tar.gz");
      String diffId = packageLayer(pkg, file);
      layers.add(
          client.pushBlob(target, "application/vnd.oci.image.layer.v1.tar+gzip", file, 8 << 20));
      diffIds.add(diffId);
      compressed += Files.size(file);
      Files.delete(file);
    }
    TestImages.Built built =
        TestImages.finish(client, target, layers, diffIds, TestImages.Settings.httpd(), "amd64");
    System.out.printf(
        "image %s: %d layers, %.1f MB compressed%n", built.ref(), layers.size(), compressed / 1e6);
    return built.ref();
  }

  /** Writes the installed files of {@code pkg} as a tar.gz layer; returns its diff_id. */
  private static String packageLayer(String pkg, Path file) throws Exception {
    Process list = new ProcessBuilder("dpkg", "-L", pkg).start();
    List<String> paths =
        new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    if (list.waitFor() != 0 || paths.isEmpty()) {
      throw new IllegalStateException("Debian package " + pkg + " is not installed");
    }
    MessageDigest tarDigest = Digests.sha256();
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        GZIPOutputStream gz = new GZIPOutputStream(out, 1 << 16);
        DigestOutputStream hashed = new DigestOutputStream(gz, tarDigest)) {
      TarWriter tar = new TarWriter(hashed);
      for (String path : paths) {
        Path p = Path.of(path);
        if (!path.startsWith("/")
            || path.equals("/.")
            || !Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        String name = path.substring(1);
        if (Files.isSymbolicLink(p)) {
          tar.symlink(name, Files.readSymbolicLink(p).toString());
        } else if (Files.isDirectory(p)) {
          tar.dir(name, 0755);
        } else if (Files.isRegularFile(p)) {
          tar.file(name, p, Files.isExecutable(p) ? 0755 : 0644);
        }
      }
      tar.finish();
    }
    return "sha256:" + io.wetee.common.Hex.encode(tarDigest.digest());
  }

  private static void run(String... argv) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
      throw new IllegalStateException(
          String.join(" ", argv) + " failed: " + new String(output, StandardCharsets.UTF_8));
    }
  }

  private static long count(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      return all.count() - 1;
    }
  }

  /** CPU time of this JVM (all threads: pull, JIT, GC). */
  private static double ownCpuMs() {
    var os =
        (com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os.getProcessCpuTime() / 1e6;
  }

  /** CPU time of the reaped child processes (skopeo, umoci): cutime + cstime of /proc/self/stat. */
  private static double childrenCpuMs() throws IOException {
    String stat = Files.readString(Path.of("/proc/self/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // After the command name, field 3 (state) is index 0: cutime is field 16, cstime field 17.
    long ticks = Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
    return ticks * 10.0; // USER_HZ is 100 on Linux
  }

  private static double ms(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e6;
  }

  private static List<Double> sum(List<Double> a, List<Double> b) {
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      out.add(a.get(i) + b.get(i));
    }
    return out;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
