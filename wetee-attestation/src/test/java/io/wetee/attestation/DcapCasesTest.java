package io.wetee.attestation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wetee.common.Hex;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The DCAP cases of expected.json, asserted exactly, each at its pinned time. */
class DcapCasesTest {
  private static final Policy ANY_STATUS =
      Policy.defaults().withAllowDebug(true).withAcceptedTcbStatuses(List.of(TcbStatus.values()));

  static EvidenceVerifier verifier(DcapCollateral c) {
    return EvidenceVerifier.builder().collateral(c).build();
  }

  static VerificationResult run(String caseId, Policy policy) {
    JsonNode c = Vectors.dcapCase(caseId);
    DcapCollateral coll = Vectors.dcapQvl(c.get("collateral").get("file").asText());
    return verifier(coll)
        .verify(Vectors.bytes(c.get("quote").asText()), EvidenceType.AUTO, policy, Vectors.now(c));
  }

  private static List<String> strings(JsonNode arr) {
    List<String> out = new ArrayList<>();
    arr.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static void assertMatchesExpected(VerificationResult r, JsonNode c) {
    JsonNode e = c.get("expected");
    assertThat(r).isInstanceOf(Verified.class);
    Verified v = (Verified) r;
    assertThat(v.status().name()).isEqualTo(e.get("status").asText());
    assertThat(v.advisoryIds()).isEqualTo(strings(e.get("advisory_ids")));
    assertThat(v.qeStatus()).contains(TcbStatus.valueOf(e.get("qe_status").asText()));
    if (e.has("tdx_module_status")) {
      assertThat(v.tdxModuleStatus())
          .contains(TcbStatus.valueOf(e.get("tdx_module_status").asText()));
    }
  }

  @Test
  void verifiesSgxQuoteD1AsConfigurationAndSwHardeningNeeded() {
    JsonNode c = Vectors.dcapCase("D1");
    VerificationResult r = run("D1", ANY_STATUS);
    assertMatchesExpected(r, c);
    Verified v = (Verified) r;
    JsonNode q = Vectors.quote("sgx/dcap-qvl/sgx_quote.bin");
    JsonNode body = q.get("report_body");
    assertThat(v.teeType()).isEqualTo(TeeType.SGX);
    assertThat(v.quoteVersion()).isEqualTo(3);
    assertThat(v.debug()).isFalse();
    assertThat(v.measurements().get("mrEnclave")).isEqualTo(body.get("mrenclave").asText());
    assertThat(v.measurements().get("mrSigner")).isEqualTo(body.get("mrsigner").asText());
    assertThat(v.measurements().get("isvProdId")).isEqualTo(body.get("isvprodid").asText());
    assertThat(v.measurements().get("isvSvn")).isEqualTo(body.get("isvsvn").asText());
    assertThat(v.measurements().get("attributes")).isEqualTo(body.get("attributes").asText());
    assertThat(v.measurements().get("cpuSvn")).isEqualTo(body.get("cpusvn").asText());
    assertThat(Hex.encode(v.reportData())).isEqualTo(body.get("report_data").asText());
    assertThat(Hex.encode(v.platformId()))
        .isEqualTo(
            q.get("pck").get("ppid").asText()
                + q.get("pck").get("fmspc").asText().toLowerCase(java.util.Locale.ROOT));
  }

  @Test
  void rejectsD1UnderTheDefaultPolicyBecauseOfItsStatus() {
    VerificationResult r = run("D1", Policy.defaults());
    assertThat(r).isInstanceOf(Rejected.class);
    assertThat(((Rejected) r).reason()).isEqualTo(RejectReason.TCB_STATUS_NOT_ALLOWED);
  }

  @Test
  void verifiesTdxQuoteD2AsUpToDate() {
    JsonNode c = Vectors.dcapCase("D2");
    VerificationResult r = run("D2", Policy.defaults());
    assertMatchesExpected(r, c);
    Verified v = (Verified) r;
    JsonNode body = Vectors.quote("tdx/dcap-qvl/tdx_quote.bin").get("report_body");
    assertThat(v.teeType()).isEqualTo(TeeType.TDX);
    assertThat(v.quoteVersion()).isEqualTo(4);
    assertThat(v.debug()).isFalse();
    for (String k :
        List.of(
            "mr_td",
            "rtmr0",
            "rtmr1",
            "rtmr2",
            "rtmr3",
            "mr_seam",
            "td_attributes",
            "tee_tcb_svn")) {
      String name =
          switch (k) {
            case "mr_td" -> "mrTd";
            case "mr_seam" -> "mrSeam";
            case "td_attributes" -> "tdAttributes";
            case "tee_tcb_svn" -> "teeTcbSvn";
            default -> k;
          };
      assertThat(v.measurements().get(name)).as(k).isEqualTo(body.get(k).asText());
    }
    assertThat(Hex.encode(v.reportData())).isEqualTo(body.get("report_data").asText());
  }

  @Test
  void rejectsTdxV5QuoteD3WithNoMatchingTcbLevel() {
    VerificationResult r = run("D3", ANY_STATUS);
    assertThat(r).isInstanceOf(Rejected.class);
    Rejected rej = (Rejected) r;
    assertThat(rej.reason()).isEqualTo(RejectReason.TCB_LEVEL_NOT_FOUND);
    assertThat(rej.message()).contains("PCK SGX TCB");
  }

  @Test
  void verifiesIntelSyntheticSgxQuoteD7AgainstItsTestRoot() {
    JsonNode c = Vectors.dcapCase("D7");
    EvidenceVerifier v =
        EvidenceVerifier.builder()
            .intelRootCa(Vectors.cert("sgx/intel-qvl-sample/trustedRootCaCert.pem"))
            .collateral(Collaterals.fromPath(Vectors.path("sgx/intel-qvl-sample")))
            .build();
    VerificationResult r =
        v.verify(
            Vectors.bytes("sgx/intel-qvl-sample/quote.dat"),
            EvidenceType.SGX,
            ANY_STATUS,
            Vectors.now(c));
    assertMatchesExpected(r, c);
  }

  @Test
  void rejectsD7AgainstTheProductionRoot() {
    JsonNode c = Vectors.dcapCase("D7");
    EvidenceVerifier v =
        EvidenceVerifier.builder()
            .collateral(Collaterals.fromPath(Vectors.path("sgx/intel-qvl-sample")))
            .build();
    VerificationResult r =
        v.verify(
            Vectors.bytes("sgx/intel-qvl-sample/quote.dat"),
            EvidenceType.SGX,
            ANY_STATUS,
            Vectors.now(c));
    // The first thing signed by the test root that the verifier meets is its root CRL.
    assertThat(r)
        .isEqualTo(
            new Rejected(
                RejectReason.COLLATERAL_INVALID, "root CA CRL is not signed by the anchor"));
    // And the PCK chain itself does not chain to the production root.
    List<java.security.cert.X509Certificate> chain =
        TrustAnchors.read(
            (new String(
                        Vectors.bytes("sgx/intel-qvl-sample/pckCert.pem"),
                        java.nio.charset.StandardCharsets.US_ASCII)
                    + new String(
                        Vectors.bytes("sgx/intel-qvl-sample/pckSignChain.pem"),
                        java.nio.charset.StandardCharsets.US_ASCII))
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    Reject e =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            Reject.class, () -> new Pki(TrustAnchors.intelSgxRootCa()).verifyChain(chain, "PCK"));
    assertThat(e.reason()).isEqualTo(RejectReason.CERT_CHAIN_INVALID);
  }

  @Test
  void rejectsTdxQuoteD8WithNoMatchingTcbLevelAfterAllSignaturesPass() {
    JsonNode c = Vectors.dcapCase("D8");
    EvidenceVerifier v =
        EvidenceVerifier.builder()
            .intelRootCa(Vectors.cert("tdx/go-tdx-guest/trusted_root.pem"))
            .collateral(Collaterals.fromPath(Vectors.path("tdx/go-tdx-guest")))
            .build();
    VerificationResult r =
        v.verify(
            Vectors.bytes(c.get("quote").asText()), EvidenceType.TDX, ANY_STATUS, Vectors.now(c));
    assertThat(r).isInstanceOf(Rejected.class);
    assertThat(((Rejected) r).reason()).isEqualTo(RejectReason.TCB_LEVEL_NOT_FOUND);
  }

  @Test
  void rejectsD8In2053AsExpired() {
    JsonNode c = Vectors.dcapCase("D8");
    Instant y2053 = Instant.ofEpochSecond(2634944400L);
    byte[] quote = Vectors.bytes(c.get("quote").asText());
    EvidenceVerifier v =
        EvidenceVerifier.builder()
            .collateral(Collaterals.fromPath(Vectors.path("tdx/go-tdx-guest")))
            .build();
    VerificationResult r = v.verify(quote, EvidenceType.TDX, ANY_STATUS, y2053);
    assertThat(((Rejected) r).reason()).isEqualTo(RejectReason.COLLATERAL_EXPIRED);
    assertThat(((Rejected) r).message()).startsWith("root CA CRL is not current");
    // go-tdx-guest TestNegativeVerifyPckChainWithoutRevocation: the PCK certificate has expired.
    DcapVerifier chainOnly =
        new DcapVerifier(TrustAnchors.intelSgxRootCa(), req -> Optional.empty());
    Reject e =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            Reject.class, () -> chainOnly.verifySignaturesOnly(quote, y2053));
    assertThat(e.reason()).isEqualTo(RejectReason.CERT_EXPIRED);
    assertThat(e.getMessage()).contains("2029-09-20T13:20:31Z");
  }

  @Test
  void rejectsD1OneSecondAfterItsCollateralExpires() {
    JsonNode c = Vectors.dcapCase("D1");
    VerificationResult r =
        verifier(Vectors.dcapQvl(c.get("collateral").get("file").asText()))
            .verify(
                Vectors.bytes(c.get("quote").asText()),
                EvidenceType.SGX,
                ANY_STATUS,
                Instant.ofEpochSecond(1752919279L));
    assertThat(r).isInstanceOf(Rejected.class);
    assertThat(((Rejected) r).reason()).isEqualTo(RejectReason.COLLATERAL_EXPIRED);
  }

  @Test
  void rejectsD1WithD2CollateralAtThePckCrl() {
    JsonNode c = Vectors.dcapCase("D1");
    VerificationResult r =
        verifier(Vectors.dcapQvl("tdx/dcap-qvl/tdx_quote_collateral.json"))
            .verify(
                Vectors.bytes(c.get("quote").asText()),
                EvidenceType.SGX,
                ANY_STATUS,
                Vectors.now(c));
    assertThat(r).isInstanceOf(Rejected.class);
    assertThat(((Rejected) r).reason()).isEqualTo(RejectReason.COLLATERAL_MISMATCH);
    assertThat(((Rejected) r).message()).contains("PCK CRL");
  }

  @Test
  void optionalIsNeverNullInResults() {
    VerificationResult r = run("D2", Policy.defaults());
    assertThat(((Verified) r).tdxModuleStatus()).isNotEqualTo(Optional.empty());
  }

  @Test
  void verifiesTdxV5QuoteD9SignaturesAndChainWithoutCollateral() {
    JsonNode c = Vectors.dcapCase("D9");
    DcapVerifier v = new DcapVerifier(TrustAnchors.intelSgxRootCa(), req -> Optional.empty());
    DcapQuote q = v.verifySignaturesOnly(Vectors.bytes(c.get("quote").asText()), Vectors.now(c));
    assertThat(q.version()).isEqualTo(5);
  }

  @Test
  void evaluatesD9UnderTcbInfoV5AsUpToDateWithModuleTdx01() {
    JsonNode c = Vectors.dcapCase("D9");
    byte[] quote = Vectors.bytes(c.get("quote").asText());
    DcapQuote q = DcapQuote.parse(quote);
    SignedJson.Part part =
        SignedJson.extract(
            Vectors.bytes("tdx/go-tdx-guest/sample_tcbinfo_response_v5.json"), "tcbInfo");
    java.security.cert.X509Certificate signing2025 =
        Vectors.cert("sgx/intel-root/Intel_SGX_TCB_Signing_2025.der");
    assertThat(Ecdsa.verifyP256(signing2025.getPublicKey(), part.body(), part.signature()))
        .isTrue();
    Pki pki = new Pki(TrustAnchors.intelSgxRootCa());
    pki.verifyChain(List.of(signing2025), "TCB signing");
    TcbInfo info = TcbInfo.parse(CheckedCollateralTestAccess.tree(part.body()));
    SignedJson.Part qe =
        SignedJson.extract(
            Vectors.bytes("tdx/go-tdx-guest/sample_qeIdentity_response.json"), "enclaveIdentity");
    QeIdentity identity = QeIdentity.parse(CheckedCollateralTestAccess.tree(qe.body()));
    PckCert pck = PckCert.of(Certs.parsePemChain(q.certData(), "cert").get(0));
    TcbEvaluator.Result r = TcbEvaluator.evaluate(q, pck, info, identity);
    assertThat(r.status()).isEqualTo(TcbStatus.UpToDate);
    assertThat(r.moduleStatus()).contains(TcbStatus.UpToDate);
    assertThat(q.tdBody().teeTcbSvn()[1]).isEqualTo((byte) 1);
  }

  @Test
  void matchesTheExpectedPlatformTcbLevelOfD1AndD2() {
    for (String id : List.of("D1", "D2")) {
      JsonNode c = Vectors.dcapCase(id);
      JsonNode e = c.get("expected");
      DcapQuote q = DcapQuote.parse(Vectors.bytes(c.get("quote").asText()));
      CheckedCollateral cc =
          CheckedCollateral.check(
              Vectors.dcapQvl(c.get("collateral").get("file").asText()),
              new Pki(TrustAnchors.intelSgxRootCa()));
      PckCert pck = PckCert.of(Certs.parsePemChain(q.certData(), "cert").get(0));
      TcbEvaluator.Result r = TcbEvaluator.evaluate(q, pck, cc.tcbInfo(), cc.qeIdentity());
      assertThat(r.status().name()).as(id).isEqualTo(e.get("platform_status").asText());
      if (e.has("matched_tcb_date")) {
        assertThat(r.tcbDate()).isEqualTo(e.get("matched_tcb_date").asText());
      }
    }
  }
}
