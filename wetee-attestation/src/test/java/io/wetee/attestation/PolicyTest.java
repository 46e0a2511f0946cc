package io.wetee.attestation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.wetee.common.Hex;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PolicyTest {
  static final String D1_MRENCLAVE =
      "33d8736db756ed4997e04ba358d27833188f1932ff7b1d156904d3f560452fbb";
  static final String D1_MRSIGNER =
      "815f42f11cf64430c30bab7816ba596a1da0130c3b028b673133a66cf9a3e0e6";

  static VerificationResult d1(String yaml) {
    return DcapCasesTest.run("D1", Policy.parse(yaml));
  }

  static RejectReason reason(VerificationResult r) {
    assertThat(r).isInstanceOf(Rejected.class);
    return ((Rejected) r).reason();
  }

  @Test
  void appliesDefaultsToAnEmptyPolicy() {
    Policy p = Policy.parse("{}");
    assertThat(p).isEqualTo(Policy.defaults());
    assertThat(p.allowSimulated()).isFalse();
    assertThat(p.allowDebug()).isFalse();
    assertThat(p.acceptedTcbStatuses())
        .containsExactly(TcbStatus.UpToDate, TcbStatus.SWHardeningNeeded);
    assertThat(p.allowedAdvisoryIds()).containsExactly("*");
  }

  @Test
  void failsOnUnknownPolicyFields() {
    assertThatThrownBy(() -> Policy.parse("allowSimulation: true"))
        .isInstanceOf(AttestationException.class)
        .hasMessageContaining("allowSimulation");
  }

  @Test
  void acceptsD1WhenItsStatusIsAcceptedAndItsEnclaveIsListed() {
    VerificationResult r =
        d1(
            "acceptedTcbStatuses: [ConfigurationAndSWHardeningNeeded]\nsgx:\n  - mrEnclave: "
                + D1_MRENCLAVE.toUpperCase(java.util.Locale.ROOT));
    assertThat(r.isVerified()).isTrue();
  }

  @Test
  void acceptsD1BySignerProductAndMinimumSvn() {
    String base =
        "acceptedTcbStatuses: [ConfigurationAndSWHardeningNeeded]\nsgx:\n  - mrSigner: "
            + D1_MRSIGNER;
    assertThat(d1(base + "\n    isvProdId: 0\n    minIsvSvn: 0").isVerified()).isTrue();
    assertThat(reason(d1(base + "\n    isvProdId: 0\n    minIsvSvn: 1")))
        .isEqualTo(RejectReason.MEASUREMENT_NOT_ALLOWED);
    assertThat(reason(d1(base + "\n    isvProdId: 1")))
        .isEqualTo(RejectReason.MEASUREMENT_NOT_ALLOWED);
  }

  @Test
  void rejectsD1WhenItsEnclaveIsNotListed() {
    VerificationResult r =
        d1("acceptedTcbStatuses: [ConfigurationAndSWHardeningNeeded]\nsgx: [{mrEnclave: '00'}]");
    assertThat(reason(r)).isEqualTo(RejectReason.MEASUREMENT_NOT_ALLOWED);
  }

  @Test
  void checksTheExpectedReportData() {
    String ok =
        Hex.encode(
            java.util.Arrays.copyOf(
                "Hello, world!".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 64));
    String base = "acceptedTcbStatuses: [ConfigurationAndSWHardeningNeeded]\nreportData: ";
    assertThat(d1(base + "'0x" + ok + "'").isVerified()).isTrue();
    assertThat(reason(d1(base + "'" + "00".repeat(64) + "'")))
        .isEqualTo(RejectReason.REPORT_DATA_MISMATCH);
  }

  @Test
  void rejectsAdvisoriesOutsideTheAllowList() {
    String base = "acceptedTcbStatuses: [ConfigurationAndSWHardeningNeeded]\nallowedAdvisoryIds: ";
    assertThat(reason(d1(base + "[INTEL-SA-00289]"))).isEqualTo(RejectReason.ADVISORY_NOT_ALLOWED);
    assertThat(d1(base + "[INTEL-SA-00289, INTEL-SA-00615]").isVerified()).isTrue();
  }

  @Test
  void matchesTdxMrTdAndRtmrs() {
    JsonNode body = Vectors.quote("tdx/dcap-qvl/tdx_quote.bin").get("report_body");
    String ok =
        "tdx:\n  - mrTd: "
            + body.get("mr_td").asText()
            + "\n    rtmr3: "
            + body.get("rtmr3").asText();
    assertThat(DcapCasesTest.run("D2", Policy.parse(ok)).isVerified()).isTrue();
    String bad =
        "tdx:\n  - mrTd: "
            + body.get("mr_td").asText()
            + "\n    rtmr0: "
            + body.get("rtmr1").asText();
    assertThat(reason(DcapCasesTest.run("D2", Policy.parse(bad))))
        .isEqualTo(RejectReason.MEASUREMENT_NOT_ALLOWED);
  }

  @Test
  void matchesSnpMeasurementAndHostData() {
    JsonNode e = Vectors.EXPECTED.get("snp_reports").get("sev-snp/trustee/test-report.bin");
    EvidenceVerifier v = SnpCasesTest.verifier("sev-snp/trustee/test-vcek.der");
    byte[] report = Vectors.bytes("sev-snp/trustee/test-report.bin");
    Policy ok =
        Policy.parse(
            "snp: [{measurement: "
                + e.get("measurement").asText()
                + ", hostData: "
                + e.get("host_data").asText()
                + "}]");
    assertThat(v.verify(report, EvidenceType.AUTO, ok, SnpCasesTest.AT).isVerified()).isTrue();
    Policy bad =
        Policy.parse("snp: [{measurement: " + e.get("measurement").asText() + ", hostData: '01'}]");
    assertThat(reason(v.verify(report, EvidenceType.AUTO, bad, SnpCasesTest.AT)))
        .isEqualTo(RejectReason.MEASUREMENT_NOT_ALLOWED);
  }

  private static Verified verifiedUpToDate(String file) {
    DcapQuote q = DcapQuote.parse(Vectors.bytes(file));
    PckCert pck = PckCert.of(Certs.parsePemChain(q.certData(), "cert").get(0));
    TcbEvaluator.Result tcb =
        new TcbEvaluator.Result(
            TcbStatus.UpToDate, TcbStatus.UpToDate, Optional.empty(), List.of(), "");
    return DcapResults.verified(q, q.isTdx() ? TeeType.TDX : TeeType.SGX, pck, tcb);
  }

  @Test
  void rejectsANonZeroMrServiceTdUnlessListed() {
    Verified v = verifiedUpToDate("tdx/trustee/tdx_quote_5.dat");
    String serviceTd =
        Vectors.quote("tdx/trustee/tdx_quote_5.dat")
            .get("report_body")
            .get("mr_servicetd")
            .asText();
    assertThat(PolicyCheck.check(v, Policy.defaults()).map(Rejected::reason))
        .contains(RejectReason.SERVICE_TD_NOT_ALLOWED);
    assertThat(PolicyCheck.check(v, Policy.parse("allowedMrServiceTd: [" + serviceTd + "]")))
        .isEmpty();
    Verified zero = verifiedUpToDate("tdx/dcap-qvl/tdx_quote_outdated.bin");
    assertThat(PolicyCheck.check(zero, Policy.defaults())).isEmpty();
  }

  @Test
  void rejectsDebugTdAndDebugEnclaveUnlessAllowed() {
    for (String f : List.of("tdx/trustee/tdx_quote_4.dat", "sgx/trustee/occlum_quote.dat")) {
      Verified v = verifiedUpToDate(f);
      assertThat(v.debug()).as(f).isTrue();
      assertThat(PolicyCheck.check(v, Policy.defaults()).map(Rejected::reason))
          .contains(RejectReason.DEBUG_NOT_ALLOWED);
      assertThat(PolicyCheck.check(v, Policy.defaults().withAllowDebug(true))).isEmpty();
    }
    assertThat(verifiedUpToDate("tdx/dcap-qvl/tdx_quote.bin").debug()).isFalse();
  }

  @Test
  void keepsTheContractCodesOfTeeTypesAndStatuses() {
    assertThat(List.of(TeeType.values()).stream().map(TeeType::code)).containsExactly(0, 1, 2, 3);
    assertThat(List.of(TcbStatus.values()).stream().map(Enum::name))
        .containsExactly(
            "UpToDate",
            "SWHardeningNeeded",
            "ConfigurationNeeded",
            "ConfigurationAndSWHardeningNeeded",
            "OutOfDate",
            "OutOfDateConfigurationNeeded",
            "Revoked");
    assertThat(List.of(TcbStatus.values()).stream().map(TcbStatus::code))
        .containsExactly(0, 1, 2, 3, 4, 5, 6);
  }

  @Test
  void mergesStatusesByQvlRules() {
    assertThat(TcbEvaluator.converge(TcbStatus.UpToDate, TcbStatus.OutOfDate))
        .isEqualTo(TcbStatus.OutOfDate);
    assertThat(TcbEvaluator.converge(TcbStatus.SWHardeningNeeded, TcbStatus.OutOfDate))
        .isEqualTo(TcbStatus.OutOfDate);
    assertThat(TcbEvaluator.converge(TcbStatus.ConfigurationNeeded, TcbStatus.OutOfDate))
        .isEqualTo(TcbStatus.OutOfDateConfigurationNeeded);
    assertThat(
            TcbEvaluator.converge(TcbStatus.ConfigurationAndSWHardeningNeeded, TcbStatus.OutOfDate))
        .isEqualTo(TcbStatus.OutOfDateConfigurationNeeded);
    assertThat(TcbEvaluator.converge(TcbStatus.UpToDate, TcbStatus.Revoked))
        .isEqualTo(TcbStatus.Revoked);
    assertThat(TcbEvaluator.converge(TcbStatus.ConfigurationNeeded, TcbStatus.UpToDate))
        .isEqualTo(TcbStatus.ConfigurationNeeded);
  }
}
