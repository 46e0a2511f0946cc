package io.wetee.attestation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The tamper tests of the test-data README, each with the exact rejection reason. */
class DcapTamperTest {
  private static final Policy ANY =
      Policy.defaults().withAllowDebug(true).withAcceptedTcbStatuses(List.of(TcbStatus.values()));

  static Stream<Arguments> goTdxGuestTampers() {
    return Stream.of(
        Arguments.of(0x000, 0x03, RejectReason.UNSUPPORTED_EVIDENCE),
        Arguments.of(0x278, 0x10, RejectReason.MALFORMED_EVIDENCE),
        Arguments.of(0x1343, 0x32, RejectReason.MALFORMED_EVIDENCE),
        Arguments.of(0x1329, 0x32, RejectReason.CERT_CHAIN_INVALID),
        Arguments.of(0xF5F, 0x32, RejectReason.CERT_CHAIN_INVALID),
        Arguments.of(0xB77, 0x32, RejectReason.CERT_CHAIN_INVALID),
        Arguments.of(0x01E, 0x32, RejectReason.QUOTE_SIGNATURE_INVALID),
        Arguments.of(0x03C, 0x32, RejectReason.QUOTE_SIGNATURE_INVALID));
  }

  @ParameterizedTest(name = "go-tdx-guest D8 byte {0} = {1} -> {2}")
  @MethodSource("goTdxGuestTampers")
  void rejectsTamperedGoTdxGuestQuoteWithTheNamedReason(int offset, int value, RejectReason want) {
    JsonNode c = Vectors.dcapCase("D8");
    EvidenceVerifier v =
        EvidenceVerifier.builder()
            .collateral(Collaterals.fromPath(Vectors.path("tdx/go-tdx-guest")))
            .build();
    byte[] q = Vectors.set(Vectors.bytes(c.get("quote").asText()), offset, value);
    VerificationResult r = v.verify(q, EvidenceType.AUTO, ANY, Vectors.now(c));
    assertThat(r).isInstanceOf(Rejected.class);
    assertThat(((Rejected) r).reason()).as(((Rejected) r).message()).isEqualTo(want);
  }

  static Stream<Arguments> bitFlips() {
    RejectReason a = RejectReason.QUOTE_SIGNATURE_INVALID;
    RejectReason b = RejectReason.QE_REPORT_SIGNATURE_INVALID;
    RejectReason c = RejectReason.QE_REPORT_DATA_MISMATCH;
    return Stream.of(
            Arguments.of("sgx/dcap-qvl/sgx_quote.bin", new int[] {368, 436, 500, 564, 948, 1014}),
            Arguments.of("tdx/dcap-qvl/tdx_quote.bin", new int[] {568, 636, 700, 770, 1154, 1220}),
            Arguments.of(
                "tdx/go-tdx-guest/quote_v5_sample.dat", new int[] {574, 706, 770, 840, 1224, 1290}))
        .map(x -> Arguments.of(x.get()[0], x.get()[1], new RejectReason[] {a, a, c, b, b, c}));
  }

  /** Body, quote signature, attestation key, QE report, QE report signature, QE auth data. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("bitFlips")
  void rejectsEverySingleBitFlipOfTheSignedPartsWithTheNamedReason(
      String file, int[] offsets, RejectReason[] reasons) {
    DcapVerifier v =
        new DcapVerifier(TrustAnchors.intelSgxRootCa(), req -> java.util.Optional.empty());
    Instant at = Instant.ofEpochSecond(1752919277L);
    if (file.contains("v5")) {
      at = Instant.ofEpochSecond(1770080400L);
    }
    byte[] q = Vectors.bytes(file);
    assertThat(v.verifySignaturesOnly(q, at)).isNotNull();
    for (int i = 0; i < offsets.length; i++) {
      byte[] t = Vectors.flip(q, offsets[i], 0x01);
      Instant when = at;
      assertThat(
              org.assertj.core.api.Assertions.catchThrowableOfType(
                      Reject.class, () -> v.verifySignaturesOnly(t, when))
                  .reason())
          .as("offset " + offsets[i])
          .isEqualTo(reasons[i]);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bitFlips")
  void rejectsTheSameFlipsThroughTheFullVerifier(
      String file, int[] offsets, RejectReason[] reasons) {
    if (file.contains("v5")) {
      return; // no current collateral for this sample: covered by the signatures-only test
    }
    String id = file.contains("sgx") ? "D1" : "D2";
    JsonNode c = Vectors.dcapCase(id);
    EvidenceVerifier v =
        EvidenceVerifier.builder()
            .collateral(Vectors.dcapQvl(c.get("collateral").get("file").asText()))
            .build();
    byte[] q = Vectors.bytes(file);
    for (int i = 0; i < offsets.length; i++) {
      VerificationResult r =
          v.verify(Vectors.flip(q, offsets[i], 1), EvidenceType.AUTO, ANY, Vectors.now(c));
      assertThat(r).isInstanceOf(Rejected.class);
      assertThat(((Rejected) r).reason()).as("offset " + offsets[i]).isEqualTo(reasons[i]);
    }
  }
}
