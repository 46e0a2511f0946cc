package io.wetee.attestation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wetee.attestation.spi.EvidenceProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Providers against fake configfs-tsm and /dev/attestation trees. */
class EvidenceProvidersTest {
  static final byte[] REPORT_DATA = SimulatedTest.REPORT_DATA;

  @TempDir Path tmp;

  private Path fakeTsmEntry(String provider, byte[] outblob, byte[] auxblob) throws IOException {
    Path entry = Files.createDirectories(tmp.resolve("tsm/report/e1"));
    Files.writeString(entry.resolve("provider"), provider + "\n");
    Files.writeString(entry.resolve("generation"), "1\n");
    Files.write(entry.resolve("outblob"), outblob);
    if (auxblob != null) {
      Files.write(entry.resolve("auxblob"), auxblob);
    }
    return entry;
  }

  @Test
  void readsATdxQuoteFromConfigfsTsmAfterWritingTheReportData() throws IOException {
    byte[] quote = Vectors.bytes("tdx/dcap-qvl/tdx_quote.bin");
    Path entry = fakeTsmEntry("tdx_guest", quote, null);
    EvidenceProvider p = EvidenceProviders.configfsTsm(tmp.resolve("tsm/report"), "e1");
    Evidence e = p.collect(REPORT_DATA);
    assertThat(e.type()).isEqualTo(EvidenceType.TDX);
    assertThat(e.provider()).isEqualTo("tdx_guest");
    assertThat(e.bytes()).isEqualTo(quote);
    assertThat(e.auxiliary()).isEmpty();
    assertThat(Files.readAllBytes(entry.resolve("inblob"))).isEqualTo(REPORT_DATA);
    assertThat(entry).isDirectory(); // an entry we did not create is left in place
  }

  @Test
  void readsAnSnpReportAndItsAuxblobFromConfigfsTsm() throws IOException {
    byte[] report = Vectors.bytes("sev-snp/trustee/test-report.bin");
    fakeTsmEntry("sev_guest", report, new byte[] {1, 2, 3});
    Evidence e =
        EvidenceProviders.configfsTsm(tmp.resolve("tsm/report"), "e1").collect(REPORT_DATA);
    assertThat(e.type()).isEqualTo(EvidenceType.SEV_SNP);
    assertThat(e.auxiliary()).containsExactly(1, 2, 3);
  }

  @Test
  void createsItsOwnReportEntryWhenAbsent() throws IOException {
    Path root = Files.createDirectories(tmp.resolve("empty-tsm"));
    EvidenceProvider p = EvidenceProviders.configfsTsm(root, "mine");
    // A plain directory is not configfs: the new entry has no outblob, so collection fails
    // cleanly, after the report data went into the entry it made (configfs would then rmdir it).
    assertThatThrownBy(() -> p.collect(REPORT_DATA))
        .isInstanceOf(AttestationException.class)
        .hasMessageContaining("configfs-tsm");
    assertThat(Files.readAllBytes(root.resolve("mine/inblob"))).isEqualTo(REPORT_DATA);
  }

  @Test
  void rejectsReportDataOfTheWrongLength() throws IOException {
    fakeTsmEntry("tdx_guest", new byte[] {1}, null);
    EvidenceProvider p = EvidenceProviders.configfsTsm(tmp.resolve("tsm/report"), "e1");
    assertThatThrownBy(() -> p.collect(new byte[32])).isInstanceOf(AttestationException.class);
  }

  @Test
  void readsAnSgxQuoteFromGramineDevAttestation() throws IOException {
    Path dev = Files.createDirectories(tmp.resolve("dev/attestation"));
    byte[] quote = Vectors.bytes("sgx/dcap-qvl/sgx_quote.bin");
    Files.writeString(dev.resolve("attestation_type"), "dcap");
    Files.write(dev.resolve("quote"), quote);
    Evidence e = EvidenceProviders.gramine(dev).collect(REPORT_DATA);
    assertThat(e.type()).isEqualTo(EvidenceType.SGX);
    assertThat(e.bytes()).isEqualTo(quote);
    assertThat(Files.readAllBytes(dev.resolve("user_report_data"))).isEqualTo(REPORT_DATA);
  }

  @Test
  void refusesGramineWithoutDcap() throws IOException {
    Path dev = Files.createDirectories(tmp.resolve("dev/attestation"));
    Files.writeString(dev.resolve("attestation_type"), "none\n");
    assertThatThrownBy(() -> EvidenceProviders.gramine(dev).collect(REPORT_DATA))
        .isInstanceOf(AttestationException.class)
        .hasMessageContaining("none");
  }

  @Test
  void issuesSimulatedEvidenceThatVerifiesOnlyWhenAllowed() {
    Clock clock = Clock.fixed(SimulatedTest.AT, ZoneOffset.UTC);
    SimulatedPlatform platform = SimulatedPlatform.fromPrivateKey(SimulatedTest.KEY);
    Evidence e =
        EvidenceProviders.simulated(platform, SimulatedTest.MEASUREMENT, clock)
            .collect(REPORT_DATA);
    EvidenceVerifier v = EvidenceVerifier.builder().clock(clock).build();
    assertThat(v.verify(e.bytes(), e.type(), Policy.defaults()).isVerified()).isFalse();
    VerificationResult r =
        v.verify(e.bytes(), e.type(), Policy.defaults().withAllowSimulated(true));
    assertThat(r.isVerified()).isTrue();
    assertThat(((Verified) r).reportData()).isEqualTo(REPORT_DATA);
  }
}
