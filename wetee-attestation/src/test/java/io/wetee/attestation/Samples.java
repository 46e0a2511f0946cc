package io.wetee.attestation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Every evidence sample with a verifier and time that fit it, for property tests and benches. */
final class Samples {
  @SuppressWarnings("ArrayRecordComponent") // test value
  record Sample(String name, byte[] bytes, EvidenceVerifier verifier, Instant at) {}

  static final Policy PERMISSIVE =
      Policy.defaults()
          .withAllowDebug(true)
          .withAllowSimulated(true)
          .withAcceptedTcbStatuses(List.of(TcbStatus.values()));

  static final List<Sample> ALL = build();

  private Samples() {}

  private static List<Sample> build() {
    List<Sample> out = new ArrayList<>();
    EvidenceVerifier d1 =
        DcapCasesTest.verifier(Vectors.dcapQvl("sgx/dcap-qvl/sgx_quote_collateral.json"));
    EvidenceVerifier d2 =
        DcapCasesTest.verifier(Vectors.dcapQvl("tdx/dcap-qvl/tdx_quote_collateral.json"));
    EvidenceVerifier d3 =
        DcapCasesTest.verifier(Vectors.dcapQvl("tdx/dcap-qvl/tdx_quote_outdated_collateral.json"));
    EvidenceVerifier d7 =
        EvidenceVerifier.builder()
            .intelRootCa(Vectors.cert("sgx/intel-qvl-sample/trustedRootCaCert.pem"))
            .collateral(Collaterals.fromPath(Vectors.path("sgx/intel-qvl-sample")))
            .build();
    EvidenceVerifier d8 =
        EvidenceVerifier.builder()
            .collateral(Collaterals.fromPath(Vectors.path("tdx/go-tdx-guest")))
            .build();
    Instant t1 = Instant.ofEpochSecond(1752919277L);
    out.add(new Sample("D1", Vectors.bytes("sgx/dcap-qvl/sgx_quote.bin"), d1, t1));
    out.add(
        new Sample(
            "D2",
            Vectors.bytes("tdx/dcap-qvl/tdx_quote.bin"),
            d2,
            Instant.ofEpochSecond(1752919234L)));
    out.add(
        new Sample(
            "D3",
            Vectors.bytes("tdx/dcap-qvl/tdx_quote_outdated.bin"),
            d3,
            Instant.ofEpochSecond(1774003274L)));
    out.add(
        new Sample(
            "D7",
            Vectors.bytes("sgx/intel-qvl-sample/quote.dat"),
            d7,
            Instant.ofEpochSecond(1577836800L)));
    Instant t8 = Instant.ofEpochSecond(1688173200L);
    out.add(new Sample("D8", Vectors.bytes("tdx/go-tdx-guest/tdx_prod_quote_SPR_E4.dat"), d8, t8));
    for (String f :
        List.of(
            "sgx/trustee/occlum_quote.dat",
            "tdx/go-tdx-guest/quote_v5_sample.dat",
            "tdx/trustee/tdx_quote_4.dat",
            "tdx/trustee/tdx_quote_5.dat",
            "tdx/trustee/tdx_quote_6.dat",
            "tdx/dcap-qvl/tdx-quote.hex",
            "tdx/dcap-qvl/quote-from-tappd.hex")) {
      out.add(new Sample(f, EvidenceFormats.binary(Vectors.bytes(f)), d8, t8));
    }
    Instant ts = SnpCasesTest.AT;
    out.add(snp("S1", "sev-snp/go-sev-guest/attestation.bin", "sev-snp/go-sev-guest/vcek.der", ts));
    out.add(
        snp("S2", "sev-snp/virtee-sev/report_milan.hex", "sev-snp/virtee-sev/vcek_milan.der", ts));
    out.add(snp("S3", "sev-snp/trustee/test-report.bin", "sev-snp/trustee/test-vcek.der", ts));
    SimulatedPlatform p = SimulatedPlatform.fromPrivateKey(SimulatedTest.KEY);
    out.add(
        new Sample(
            "SIM",
            p.report(SimulatedTest.MEASUREMENT, SimulatedTest.REPORT_DATA, false, ts),
            EvidenceVerifier.builder().collateral(req -> Optional.empty()).build(),
            ts));
    return List.copyOf(out);
  }

  private static Sample snp(String name, String report, String vek, Instant at) {
    return new Sample(
        name, EvidenceFormats.binary(Vectors.bytes(report)), SnpCasesTest.verifier(vek), at);
  }

  static VerificationResult verify(Sample s, byte[] bytes) {
    return s.verifier().verify(bytes, EvidenceType.AUTO, PERMISSIVE, s.at());
  }
}
