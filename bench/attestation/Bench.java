import io.wetee.attestation.DcapCollateral;
import io.wetee.attestation.EvidenceType;
import io.wetee.attestation.EvidenceVerifier;
import io.wetee.attestation.Policy;
import io.wetee.attestation.TcbStatus;
import io.wetee.attestation.VekSources;
import io.wetee.attestation.VerificationResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-verification time of WeTEE's verifier on D1 (SGX), D2 (TDX) and S1 (SEV-SNP) with warm
 * caches, on one and two threads. Prints "wetee SAMPLE THREADS MICROS" lines for ./run.
 * Usage: java -cp ... Bench.java TESTDATA_DIR SECONDS_PER_MEASUREMENT
 */
public class Bench {
  record Sample(String name, byte[] evidence, EvidenceVerifier verifier, Instant at) {}

  static final Policy ANY =
      Policy.defaults().withAllowDebug(true).withAcceptedTcbStatuses(List.of(TcbStatus.values()));

  public static void main(String[] args) throws Exception {
    Path d = Path.of(args[0]);
    double seconds = Double.parseDouble(args[1]);
    List<Sample> samples = new ArrayList<>();
    samples.add(dcap(d, "D1", "sgx/dcap-qvl/sgx_quote.bin", "sgx/dcap-qvl/sgx_quote_collateral.json", 1752919277L));
    samples.add(dcap(d, "D2", "tdx/dcap-qvl/tdx_quote.bin", "tdx/dcap-qvl/tdx_quote_collateral.json", 1752919234L));
    samples.add(
        new Sample(
            "S1",
            Files.readAllBytes(d.resolve("sev-snp/go-sev-guest/attestation.bin")),
            EvidenceVerifier.builder()
                .vekSource(VekSources.fixed(Files.readAllBytes(d.resolve("sev-snp/go-sev-guest/vcek.der"))))
                .build(),
            Instant.ofEpochSecond(1663981200L)));
    for (Sample s : samples) {
      measure(s, 1, seconds); // warm-up: JIT and caches
      for (int threads : new int[] {1, 2}) {
        System.out.printf("wetee %s %d %.1f%n", s.name(), threads, measure(s, threads, seconds));
      }
    }
  }

  static Sample dcap(Path d, String name, String quote, String collateral, long at) throws Exception {
    DcapCollateral c = DcapCollateral.fromDcapQvlJson(Files.readAllBytes(d.resolve(collateral)));
    return new Sample(
        name,
        Files.readAllBytes(d.resolve(quote)),
        EvidenceVerifier.builder().collateral(c).build(),
        Instant.ofEpochSecond(at));
  }

  /** Wall-clock microseconds per verification with {@code threads} threads verifying at once. */
  static double measure(Sample s, int threads, double seconds) throws InterruptedException {
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    long[] counts = new long[threads];
    Thread[] ts = new Thread[threads];
    long start = System.nanoTime();
    for (int i = 0; i < threads; i++) {
      int idx = i;
      ts[i] =
          new Thread(
              () -> {
                long n = 0;
                while (System.nanoTime() < deadline) {
                  VerificationResult r = s.verifier().verify(s.evidence(), EvidenceType.AUTO, ANY, s.at());
                  if (!r.isVerified()) {
                    throw new IllegalStateException(s.name() + " did not verify: " + r);
                  }
                  n++;
                }
                counts[idx] = n;
              });
      ts[i].start();
    }
    for (Thread t : ts) {
      t.join();
    }
    long elapsed = System.nanoTime() - start;
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    return elapsed / 1e3 / total;
  }
}
