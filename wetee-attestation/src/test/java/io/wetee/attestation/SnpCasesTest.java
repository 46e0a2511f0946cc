package io.wetee.attestation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.wetee.common.Hex;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The SEV-SNP cases of expected.json (S1-S7) and the tamper tests of the README. */
class SnpCasesTest {
  /** Within every VCEK's validity (2023-11-14T22:13:20Z); S1 uses its source's pinned time. */
  static final Instant AT = Instant.ofEpochSecond(1700000000L);

  static final Policy DEBUG_OK = Policy.defaults().withAllowDebug(true);

  static EvidenceVerifier verifier(String vek) {
    return EvidenceVerifier.builder().vekSource(VekSources.fixed(Vectors.bytes(vek))).build();
  }

  static byte[] report(String file) {
    return EvidenceFormats.binary(Vectors.bytes(file));
  }

  static Rejected rejected(VerificationResult r) {
    assertThat(r).isInstanceOf(Rejected.class);
    return (Rejected) r;
  }

  @Test
  void verifiesMilanReportS1AndReportsItsDebugPolicy() {
    JsonNode c = Vectors.snpCase("S1");
    VerificationResult r =
        verifier(c.get("vek").asText())
            .verify(
                Vectors.bytes(c.get("report").asText()),
                EvidenceType.SEV_SNP,
                DEBUG_OK,
                Vectors.now(c));
    assertThat(r).isInstanceOf(Verified.class);
    Verified v = (Verified) r;
    JsonNode e = Vectors.EXPECTED.get("snp_reports").get("sev-snp/go-sev-guest/attestation.bin");
    assertThat(v.teeType()).isEqualTo(TeeType.SEV_SNP);
    assertThat(v.quoteVersion()).isEqualTo(2);
    assertThat(v.debug()).isTrue();
    assertThat(v.measurements().get("measurement")).isEqualTo(e.get("measurement").asText());
    assertThat(v.measurements().get("hostData")).isEqualTo(e.get("host_data").asText());
    assertThat(v.measurements().get("product")).isEqualTo("Milan");
    assertThat(Hex.encode(v.reportData())).isEqualTo(e.get("report_data").asText());
    assertThat(Hex.encode(v.platformId())).isEqualTo(e.get("chip_id").asText());
  }

  @Test
  void rejectsDebugGuestS1UnderTheDefaultPolicy() {
    JsonNode c = Vectors.snpCase("S1");
    VerificationResult r =
        verifier(c.get("vek").asText())
            .verify(
                Vectors.bytes(c.get("report").asText()),
                EvidenceType.AUTO,
                Policy.defaults(),
                Vectors.now(c));
    assertThat(rejected(r).reason()).isEqualTo(RejectReason.DEBUG_NOT_ALLOWED);
  }

  @Test
  void verifiesMilanReportsS2FromHexAndS3() {
    for (String id : List.of("S2", "S3")) {
      JsonNode c = Vectors.snpCase(id);
      String file = c.get("report").asText().split(" ")[0];
      VerificationResult r =
          verifier(c.get("vek").asText())
              .verify(Vectors.bytes(file), EvidenceType.AUTO, Policy.defaults(), AT);
      assertThat(r).as(id).isInstanceOf(Verified.class);
      JsonNode e = Vectors.EXPECTED.get("snp_reports").get(file);
      assertThat(((Verified) r).measurements().get("measurement"))
          .isEqualTo(e.get("measurement").asText());
      assertThat(((Verified) r).debug()).isFalse();
    }
  }

  @Test
  void rejectsS2WithReportByte21FlippedAsSignatureInvalid() {
    byte[] r = Vectors.flip(report("sev-snp/virtee-sev/report_milan.hex"), 21, 0x80);
    VerificationResult res =
        verifier("sev-snp/virtee-sev/vcek_milan.der").verify(r, EvidenceType.AUTO, DEBUG_OK, AT);
    assertThat(rejected(res).reason()).isEqualTo(RejectReason.REPORT_SIGNATURE_INVALID);
  }

  @Test
  void rejectsS2WithVcekByte40FlippedAsChainInvalid() {
    byte[] vek = Vectors.flip(Vectors.bytes("sev-snp/virtee-sev/vcek_milan.der"), 40, 0xff);
    EvidenceVerifier v =
        EvidenceVerifier.builder().vekSource(req -> java.util.Optional.of(vek)).build();
    VerificationResult res =
        v.verify(report("sev-snp/virtee-sev/report_milan.hex"), EvidenceType.AUTO, DEBUG_OK, AT);
    assertThat(rejected(res).reason()).isEqualTo(RejectReason.CERT_CHAIN_INVALID);
  }

  @Test
  void rejectsS3WithReportByte42IncrementedAsSignatureInvalid() {
    byte[] r = Vectors.bytes("sev-snp/trustee/test-report.bin");
    r = Vectors.set(r, 42, r[42] + 1);
    VerificationResult res =
        verifier("sev-snp/trustee/test-vcek.der").verify(r, EvidenceType.AUTO, DEBUG_OK, AT);
    assertThat(rejected(res).reason()).isEqualTo(RejectReason.REPORT_SIGNATURE_INVALID);
  }

  @Test
  void rejectsS3WithBootLoaderIncrementedAsTcbMismatch() {
    byte[] r = Vectors.bytes("sev-snp/trustee/test-report.bin");
    r = Vectors.set(r, 384, r[384] + 1);
    VerificationResult res =
        verifier("sev-snp/trustee/test-vcek.der").verify(r, EvidenceType.AUTO, DEBUG_OK, AT);
    assertThat(rejected(res).reason()).isEqualTo(RejectReason.TCB_MISMATCH);
    assertThat(rejected(res).message()).contains("boot loader version mismatch 4 != 3");
  }

  @Test
  void rejectsS3WithVcekByte42IncrementedAsChainInvalid() {
    byte[] vek = Vectors.bytes("sev-snp/trustee/test-vcek.der");
    byte[] bad = Vectors.set(vek, 42, vek[42] + 1);
    EvidenceVerifier v =
        EvidenceVerifier.builder().vekSource(req -> java.util.Optional.of(bad)).build();
    VerificationResult res =
        v.verify(Vectors.bytes("sev-snp/trustee/test-report.bin"), EvidenceType.AUTO, DEBUG_OK, AT);
    assertThat(rejected(res).reason()).isEqualTo(RejectReason.CERT_CHAIN_INVALID);
  }

  @Test
  void rejectsS3VcekWhenOnlyTheVlekSigningKeyIsTrusted() {
    SnpVerifier v =
        new SnpVerifier(
            TrustAnchors.amdArks(),
            List.of(Vectors.cert("sev-snp/amd-roots/asvk_ark_milan.pem")),
            req -> java.util.Optional.empty());
    VekCert vek = v.vekOf(Vectors.bytes("sev-snp/trustee/test-vcek.der"));
    Reject r = catchThrowableOfType(Reject.class, () -> v.verifyChain(vek, false, AT));
    assertThat(r.reason()).isEqualTo(RejectReason.CERT_CHAIN_INVALID);
    // Even when the caller insists it is a VLEK, the ASVK did not sign it.
    Reject r2 = catchThrowableOfType(Reject.class, () -> v.verifyChain(vek, true, AT));
    assertThat(r2.reason()).isEqualTo(RejectReason.CERT_CHAIN_INVALID);
  }

  @Test
  void verifiesTurinVcekChainS5() {
    JsonNode e = Vectors.snpCase("S5").get("expected");
    SnpVerifier v =
        new SnpVerifier(
            TrustAnchors.amdArks(), TrustAnchors.amdCaCerts(), req -> java.util.Optional.empty());
    VekCert vek = v.vekOf(Vectors.bytes("sev-snp/virtee-sev/vcek_turin.der"));
    assertThat(v.verifyChain(vek, false, Instant.parse("2025-01-01T00:00:00Z"))).isEqualTo("Turin");
    assertThat(vek.hwId()).hasSize(e.get("hwid_len").asInt());
    assertThat(vek.fmc()).isEqualTo(e.get("fmcSPL").asInt());
    assertThat(vek.ucode()).isEqualTo(e.get("ucodeSPL").asInt());
  }

  @Test
  void parsesButRejectsTheChainOfVceksNotSignedByAmdS6() {
    SnpVerifier v =
        new SnpVerifier(
            TrustAnchors.amdArks(), TrustAnchors.amdCaCerts(), req -> java.util.Optional.empty());
    for (String f :
        List.of(
            "sev-snp/trustee/test-vcek-invalid-legacy.der",
            "sev-snp/trustee/test-vcek-invalid-new.der")) {
      VekCert vek = v.vekOf(Vectors.bytes(f));
      JsonNode e = Vectors.EXPECTED.get("snp_certs").get(f).get("amd_extensions");
      assertThat(Hex.encode(vek.hwId())).isEqualTo(e.get("hwID").asText());
      Reject r = catchThrowableOfType(Reject.class, () -> v.verifyChain(vek, false, AT));
      assertThat(r.reason()).as(f).isEqualTo(RejectReason.CERT_CHAIN_INVALID);
    }
  }

  @Test
  void rejectsMilanVcekUnderTheTurinSigningKeyS7() {
    List<X509Certificate> turin =
        TrustAnchors.read(Vectors.bytes("sev-snp/amd-roots/ask_ark_turin.pem"));
    SnpVerifier v =
        new SnpVerifier(
            List.of(turin.get(1)), List.of(turin.get(0)), req -> java.util.Optional.empty());
    VekCert vek = v.vekOf(Vectors.bytes("sev-snp/virtee-sev/vcek_milan.der"));
    Reject r = catchThrowableOfType(Reject.class, () -> v.verifyChain(vek, false, AT));
    assertThat(r.reason()).isEqualTo(RejectReason.CERT_CHAIN_INVALID);
  }

  @Test
  void rejectsReportS1CheckedWithTheVcekOfS2AsSignatureInvalidS7() {
    VerificationResult r =
        verifier("sev-snp/virtee-sev/vcek_milan.der")
            .verify(
                Vectors.bytes("sev-snp/go-sev-guest/attestation.bin"),
                EvidenceType.AUTO,
                DEBUG_OK,
                AT);
    assertThat(rejected(r).reason()).isEqualTo(RejectReason.REPORT_SIGNATURE_INVALID);
  }

  @Test
  void rejectsS1BeforeItsVcekIsValid() {
    JsonNode c = Vectors.snpCase("S1");
    VerificationResult r =
        verifier(c.get("vek").asText())
            .verify(
                Vectors.bytes(c.get("report").asText()),
                EvidenceType.AUTO,
                DEBUG_OK,
                Instant.parse("2022-09-24T00:00:00Z"));
    assertThat(rejected(r).reason()).isEqualTo(RejectReason.CERT_EXPIRED);
  }

  static Stream<String> reports() {
    Iterator<String> it = Vectors.EXPECTED.get("snp_reports").fieldNames();
    Stream.Builder<String> b = Stream.builder();
    it.forEachRemaining(b::add);
    return b.build();
  }

  @ParameterizedTest
  @MethodSource("reports")
  void parsesEveryReportFieldExactly(String file) {
    JsonNode e = Vectors.EXPECTED.get("snp_reports").get(file);
    SnpReport r = SnpReport.parse(report(file));
    assertThat(r.version()).isEqualTo(e.get("version").asInt());
    assertThat(r.guestSvn()).isEqualTo(e.get("guest_svn").asLong());
    assertThat("0x" + Long.toHexString(r.policy())).isEqualTo(e.get("policy").asText());
    assertThat(Hex.encode(r.familyId())).isEqualTo(e.get("family_id").asText());
    assertThat(Hex.encode(r.imageId())).isEqualTo(e.get("image_id").asText());
    assertThat(r.vmpl()).isEqualTo(e.get("vmpl").asLong());
    assertThat(r.signatureAlgo()).isEqualTo(e.get("signature_algo").asLong());
    assertThat("0x" + Long.toHexString(r.platformInfo()))
        .isEqualTo(e.get("platform_info").asText());
    assertThat("0x" + Long.toHexString(r.keyInfo())).isEqualTo(e.get("key_info").asText());
    assertThat(r.signingKey() == 0 ? "VCEK" : "VLEK").isEqualTo(e.get("signing_key").asText());
    assertThat(r.maskChipKey() ? 1 : 0).isEqualTo(e.get("mask_chip_key").asInt());
    assertThat(Hex.encode(r.reportData())).isEqualTo(e.get("report_data").asText());
    assertThat(Hex.encode(r.measurement())).isEqualTo(e.get("measurement").asText());
    assertThat(Hex.encode(r.hostData())).isEqualTo(e.get("host_data").asText());
    assertThat(Hex.encode(r.idKeyDigest())).isEqualTo(e.get("id_key_digest").asText());
    assertThat(Hex.encode(r.authorKeyDigest())).isEqualTo(e.get("author_key_digest").asText());
    assertThat(Hex.encode(r.reportId())).isEqualTo(e.get("report_id").asText());
    assertThat(Hex.encode(r.reportIdMa())).isEqualTo(e.get("report_id_ma").asText());
    assertThat(Hex.encode(r.chipId())).isEqualTo(e.get("chip_id").asText());
    assertThat(tcbHex(r.currentTcb())).isEqualTo(e.get("current_tcb").get("raw").asText());
    assertThat(tcbHex(r.reportedTcb())).isEqualTo(e.get("reported_tcb").get("raw").asText());
    assertThat(tcbHex(r.committedTcb())).isEqualTo(e.get("committed_tcb").get("raw").asText());
    assertThat(tcbHex(r.launchTcb())).isEqualTo(e.get("launch_tcb").get("raw").asText());
    assertThat(r.reportedTcb() & 0xff).isEqualTo(e.get("reported_tcb").get("bootloader").asLong());
    assertThat(r.reportedTcb() >>> 56).isEqualTo(e.get("reported_tcb").get("microcode").asLong());
    assertThat(r.cpuidFamily()).isEqualTo(e.get("cpuid_fam_id").asInt());
    assertThat(r.cpuidModel()).isEqualTo(e.get("cpuid_mod_id").asInt());
    assertThat(r.cpuidStep()).isEqualTo(e.get("cpuid_step").asInt());
    assertThat(r.versions()[0] & 0xff).isEqualTo(e.get("current_build").asInt());
    assertThat(r.versions()[1] & 0xff).isEqualTo(e.get("current_minor").asInt());
    assertThat(r.versions()[2] & 0xff).isEqualTo(e.get("current_major").asInt());
    assertThat(r.versions()[4] & 0xff).isEqualTo(e.get("committed_build").asInt());
  }

  /** The "raw" form of expected.json: the TCB bytes in little-endian order, as hex. */
  private static String tcbHex(long v) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      sb.append(String.format("%02x", (v >>> (8 * i)) & 0xff));
    }
    return sb.toString();
  }

  static Stream<String> certs() {
    Iterator<String> it = Vectors.EXPECTED.get("snp_certs").fieldNames();
    Stream.Builder<String> b = Stream.builder();
    it.forEachRemaining(b::add);
    return b.build();
  }

  @ParameterizedTest
  @MethodSource("certs")
  void parsesEveryVekExtensionExactly(String file) {
    JsonNode e = Vectors.EXPECTED.get("snp_certs").get(file);
    VekCert v = VekCert.of(Vectors.cert(file));
    JsonNode x = e.get("amd_extensions");
    assertThat(v.productName()).isEqualTo(x.get("productName").asText());
    assertThat(v.bl()).isEqualTo(x.get("blSPL").asInt());
    assertThat(v.tee()).isEqualTo(x.get("teeSPL").asInt());
    assertThat(v.snp()).isEqualTo(x.get("snpSPL").asInt());
    assertThat(v.ucode()).isEqualTo(x.get("ucodeSPL").asInt());
    assertThat(Hex.encode(v.hwId())).isEqualTo(x.get("hwID").asText());
    assertThat(Certs.commonName(v.cert())).isEqualTo(e.get("subject_cn").asText());
    assertThat(v.cert().getNotAfter().toInstant())
        .isEqualTo(Instant.parse(e.get("not_after").asText()));
  }
}
