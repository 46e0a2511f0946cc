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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * bench/secret-release: p50/p99 of one release of 3 secrets (n=4/q=3, n=7/q=5) over HTTP on
 * loopback with SIMULATED evidence, against a baseline of one HTTP round trip plus one evidence
 * verification in the same run, and against the floor of q such round trips in parallel (what any
 * release must cost when each of q members checks the evidence itself). The rows are interleaved
 * (each iteration runs every row once) so they share the machine's load; evidence and instance keys
 * are made outside the timed window. The release rows ask for the same three secrets each time, as
 * every start of a workload's instances does, so members answer from the share batches they keep;
 * the "first release" row puts new versions of the secrets before each release (outside the timed
 * window), so every member computes its shares and proof. Also DKG completion time for n = 4, 7, 10
 * (the state machines of all n members in one process, without the chain's phase blocks). Not a
 * test: run by {@code bench/secret-release/run}.
 */
final class ReleaseBench {
  private ReleaseBench() {}

  /** Process CPU time (all threads: members, client, GC, JIT) over the measured iterations. */
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean)
          java.lang.management.ManagementFactory.getOperatingSystemMXBean();

  public static void main(String[] args) throws Exception {
    int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 400;
    Path dir = Files.createTempDirectory("wetee-release-bench");
    SecureRandom rnd = new SecureRandom();
    SimulatedPlatform platform = SimulatedPlatform.generate(rnd);
    List<Javalin> verifiers = new ArrayList<>();
    try (LocalCommittee c4 =
            new LocalCommittee(
                4, 3, dir.resolve("n4"), new SecretNodeConfig.RateLimit(1e9, 1 << 30));
        LocalCommittee c7 =
            new LocalCommittee(
                7, 5, dir.resolve("n7"), new SecretNodeConfig.RateLimit(1e9, 1 << 30))) {
      List<URI> uris = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        Javalin v = verifyServer();
        verifiers.add(v);
        uris.add(URI.create("http://127.0.0.1:" + v.port() + "/verify"));
      }
      HttpClient http = HttpClient.newHttpClient();
      SecretClient client = SecretClient.create(Duration.ofSeconds(5));
      long[] version = {1};
      List<Row> rows =
          List.of(
              new Row(
                  "baseline (1 HTTP round trip + 1 SIMULATED verification)",
                  () -> fanOut(http, uris.subList(0, 1), platform, rnd)),
              new Row(
                  "floor q=3 (3 parallel round trips, each verifying)",
                  () -> fanOut(http, uris.subList(0, 3), platform, rnd)),
              new Row("release of 3 secrets, n=4 q=3", () -> release(c4, client)),
              new Row(
                  "floor q=5 (5 parallel round trips, each verifying)",
                  () -> fanOut(http, uris.subList(0, 5), platform, rnd)),
              new Row("release of 3 secrets, n=7 q=5", () -> release(c7, client)),
              new Row(
                  "  first release of new versions, n=7 q=5",
                  () -> {
                    rotate(c7, ++version[0]);
                    return release(c7, client);
                  }));
      // Interleaved: every iteration runs each row once, so all rows see the same machine load.
      for (int i = -iterations / 2; i < iterations; i++) {
        for (Row r : rows) {
          r.measure(i >= 0);
        }
      }
      Row base = rows.get(0);
      for (int i = 0; i < rows.size(); i++) {
        Row r = rows.get(i);
        Row floor = i == 2 ? rows.get(1) : i >= 4 ? rows.get(3) : null;
        print(r, base, floor);
      }
    } finally {
      verifiers.forEach(Javalin::stop);
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

  /**
   * One measured operation: {@code prepare} (not timed) makes the inputs, such as fresh evidence
   * and a fresh instance key, and answers the timed action, which throws when it does not succeed.
   */
  @FunctionalInterface
  private interface Op {
    Runnable prepare();
  }

  /** A bench row: its wall times and process CPU time. */
  private static final class Row {
    final String name;
    final Op op;
    final List<Double> ms = new ArrayList<>();
    long cpuNanos;

    Row(String name, Op op) {
      this.name = name;
      this.op = op;
    }

    void measure(boolean record) {
      Runnable timed = op.prepare();
      long c0 = OS.getProcessCpuTime();
      long s = System.nanoTime();
      timed.run();
      long e = System.nanoTime();
      long c1 = OS.getProcessCpuTime();
      if (record) {
        ms.add((e - s) / 1e6);
        cpuNanos += c1 - c0;
      }
    }

    double[] sorted() {
      double[] a = ms.stream().mapToDouble(Double::doubleValue).toArray();
      Arrays.sort(a);
      return a;
    }

    double p50() {
      double[] a = sorted();
      return a[a.length / 2];
    }

    double p99() {
      double[] a = sorted();
      return a[(int) Math.ceil(a.length * 0.99) - 1];
    }

    double cpuMs() {
      return cpuNanos / 1e6 / ms.size();
    }
  }

  /**
   * Puts a new version of secrets a, b and c (new ciphertexts, so no member has shares for them
   * yet): the next release is the first of these secrets, as after a rotation or a new deploy.
   */
  private static void rotate(LocalCommittee c, long version) {
    for (String name : List.of("a", "b", "c")) {
      c.putSecret(
          c.owner(),
          name,
          version,
          ("value " + version + " of " + name).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  private static Runnable release(LocalCommittee c, SecretClient client) {
    PrivateKey instance = PrivateKey.generate(c.rnd);
    ReleaseRequest r = c.request(instance, 1, List.of("a", "b", "c"));
    return () -> {
      ReleaseOutcome out = client.release(c.network(), r, instance, c.committee.key(), c.members);
      if (!(out instanceof ReleaseOutcome.Released)) {
        throw new IllegalStateException("release failed: " + out);
      }
    };
  }

  /**
   * The same fresh evidence sent to each server in parallel, each verifying it: with one server the
   * baseline; with q servers the least work any release by q members that each check the evidence
   * must do (no shares, no proofs, no encryption).
   */
  private static Runnable fanOut(
      HttpClient http, List<URI> servers, SimulatedPlatform platform, SecureRandom rnd) {
    byte[] rd = new byte[64];
    rnd.nextBytes(rd);
    String body = Hex.encode(platform.report(new byte[32], rd, false, Instant.now()));
    return () -> {
      List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
      for (URI uri : servers) {
        calls.add(
            http.sendAsync(
                HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString()));
      }
      for (CompletableFuture<HttpResponse<String>> call : calls) {
        if (!call.join().body().contains("true")) {
          throw new IllegalStateException("baseline verification failed");
        }
      }
    };
  }

  private static Javalin verifyServer() {
    EvidenceVerifier verifier = EvidenceVerifier.builder().build();
    Policy policy = Policy.defaults().withAllowSimulated(true);
    return Javalin.create(
            cfg -> {
              cfg.useVirtualThreads = true;
              cfg.showJavalinBanner = false;
            })
        .post(
            "/verify",
            ctx -> {
              byte[] evidence = Hex.decode(ctx.body());
              boolean ok =
                  verifier.verify(evidence, EvidenceType.AUTO, policy, Instant.now()).isVerified();
              ctx.result(ok ? "{\"ok\":true}" : "{\"ok\":false}");
            })
        .start("127.0.0.1", 0);
  }

  private static void print(Row r, Row base, Row floor) {
    System.out.printf(
        Locale.ROOT,
        "%-56s p50 %7.2f ms  p99 %7.2f ms  p99/baseline %5.2f  p99/floor %5s  cpu %6.2f ms/op%n",
        r.name,
        r.p50(),
        r.p99(),
        r.p99() / base.p99(),
        floor == null ? "-" : String.format(Locale.ROOT, "%.2f", r.p99() / floor.p99()),
        r.cpuMs());
  }
}
