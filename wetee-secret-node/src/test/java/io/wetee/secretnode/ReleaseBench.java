package io.wetee.secretnode;

import io.javalin.Javalin;
import io.wetee.attestation.EvidenceType;
import io.wetee.attestation.EvidenceVerifier;
import io.wetee.attestation.Policy;
import io.wetee.attestation.SimulatedPlatform;
import io.wetee.common.Hex;
import io.wetee.crypto.PrivateKey;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * bench/secret-release: p50/p99 of one release of 3 secrets (n=4/q=3, n=7/q=5) over HTTP on
 * loopback with SIMULATED evidence, against a baseline of one HTTP round trip plus one evidence
 * verification in the same run; and DKG completion time for n = 4, 7, 10 (the state machines of all
 * n members in one process, without the chain's phase blocks). Not a test: run by {@code
 * bench/secret-release/run}.
 */
final class ReleaseBench {
  private ReleaseBench() {}

  /** Process CPU time (all threads: members, client, GC, JIT) over the measured iterations. */
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean)
          java.lang.management.ManagementFactory.getOperatingSystemMXBean();

  private static double cpuMsPerIteration;

  public static void main(String[] args) throws Exception {
    int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 400;
    Path dir = Files.createTempDirectory("wetee-release-bench");
    double[] base = baseline(iterations);
    print("baseline (1 HTTP round trip + 1 SIMULATED verification)", base, base);
    for (int[] nq : new int[][] {{4, 3}, {7, 5}}) {
      double[] r = release(nq[0], nq[1], iterations, dir.resolve("n" + nq[0]));
      print("release of 3 secrets, n=" + nq[0] + " q=" + nq[1], r, base);
    }
    for (int n : new int[] {4, 7, 10}) {
      double[] t = new double[5];
      for (int i = 0; i < t.length; i++) {
        long s = System.nanoTime();
        TestCommittee.generate(n, 2 * n / 3 + 1, new SecureRandom());
        t[i] = (System.nanoTime() - s) / 1e6;
      }
      Arrays.sort(t);
      System.out.printf(
          Locale.ROOT,
          "dkg n=%d q=%d (in memory, all members): median %.1f ms%n",
          n,
          2 * n / 3 + 1,
          t[2]);
    }
    System.exit(0);
  }

  private static double[] release(int n, int q, int iterations, Path dir) {
    try (LocalCommittee c =
        new LocalCommittee(n, q, dir, new SecretNodeConfig.RateLimit(1e9, 1_000_000_000))) {
      SecretClient client = SecretClient.create(Duration.ofSeconds(5));
      double[] ms = new double[iterations];
      long cpu = 0;
      for (int i = -iterations / 2; i < iterations; i++) {
        PrivateKey instance = PrivateKey.generate(c.rnd);
        ReleaseRequest r = c.request(instance, 1, List.of("a", "b", "c"));
        long c0 = OS.getProcessCpuTime();
        long s = System.nanoTime();
        ReleaseOutcome out = client.release(c.network(), r, instance, c.committee.key(), c.members);
        long e = System.nanoTime();
        long c1 = OS.getProcessCpuTime();
        if (!(out instanceof ReleaseOutcome.Released)) {
          throw new IllegalStateException("release failed: " + out);
        }
        if (i >= 0) {
          ms[i] = (e - s) / 1e6;
          cpu += c1 - c0;
        }
      }
      cpuMsPerIteration = cpu / 1e6 / iterations;
      return ms;
    }
  }

  private static double[] baseline(int iterations) throws Exception {
    SecureRandom rnd = new SecureRandom();
    SimulatedPlatform platform = SimulatedPlatform.generate(rnd);
    EvidenceVerifier verifier = EvidenceVerifier.builder().build();
    Policy policy = Policy.defaults().withAllowSimulated(true);
    Javalin app =
        Javalin.create(
                cfg -> {
                  cfg.useVirtualThreads = true;
                  cfg.showJavalinBanner = false;
                })
            .post(
                "/verify",
                ctx -> {
                  byte[] evidence = Hex.decode(ctx.body());
                  boolean ok =
                      verifier
                          .verify(evidence, EvidenceType.AUTO, policy, Instant.now())
                          .isVerified();
                  ctx.result(ok ? "{\"ok\":true}" : "{\"ok\":false}");
                })
            .start("127.0.0.1", 0);
    try {
      HttpClient http = HttpClient.newHttpClient();
      URI uri = URI.create("http://127.0.0.1:" + app.port() + "/verify");
      double[] ms = new double[iterations];
      long cpu = 0;
      for (int i = -iterations / 2; i < iterations; i++) {
        byte[] rd = new byte[64];
        rnd.nextBytes(rd);
        String body = Hex.encode(platform.report(new byte[32], rd, false, Instant.now()));
        long c0 = OS.getProcessCpuTime();
        long s = System.nanoTime();
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        long e = System.nanoTime();
        long c1 = OS.getProcessCpuTime();
        if (!r.body().contains("true")) {
          throw new IllegalStateException("baseline verification failed");
        }
        if (i >= 0) {
          ms[i] = (e - s) / 1e6;
          cpu += c1 - c0;
        }
      }
      cpuMsPerIteration = cpu / 1e6 / iterations;
      return ms;
    } finally {
      app.stop();
    }
  }

  private static void print(String what, double[] ms, double[] base) {
    double[] a = ms.clone();
    double[] b = base.clone();
    Arrays.sort(a);
    Arrays.sort(b);
    double p50 = a[a.length / 2];
    double p99 = a[(int) Math.ceil(a.length * 0.99) - 1];
    double b99 = b[(int) Math.ceil(b.length * 0.99) - 1];
    System.out.printf(
        Locale.ROOT,
        "%-58s p50 %7.2f ms  p99 %7.2f ms  p99/baseline-p99 %5.2f  cpu %6.2f ms/op%n",
        what,
        p50,
        p99,
        p99 / b99,
        cpuMsPerIteration);
  }
}
