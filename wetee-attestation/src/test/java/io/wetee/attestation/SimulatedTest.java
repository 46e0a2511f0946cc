package io.wetee.attestation;

import static org.assertj.core.api.Assertions.assertThat;

import io.wetee.common.Hex;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SimulatedTest {
  static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");
  static final byte[] KEY =
      Hex.decode("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318");
  static final byte[] MEASUREMENT = fill(32, 7);
  static final byte[] REPORT_DATA = fill(64, 9);

  static byte[] fill(int n, int v) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) v);
    return b;
  }

  final EvidenceVerifier verifier = EvidenceVerifier.builder().build();
  final SimulatedPlatform platform = SimulatedPlatform.fromPrivateKey(KEY);

  @Test
  void neverAcceptsSimulatedEvidenceUnderTheDefaultPolicy() {
    byte[] r = platform.report(MEASUREMENT, REPORT_DATA, false, AT);
    VerificationResult res = verifier.verify(r, EvidenceType.AUTO, Policy.defaults(), AT);
    assertThat(res)
        .isEqualTo(
            new Rejected(RejectReason.SIMULATED_NOT_ALLOWED, "SIMULATED evidence is not allowed"));
  }

  @Test
  void verifiesSimulatedEvidenceLabelledSimulatedWhenThePolicyAllowsIt() {
    byte[] r = platform.report(MEASUREMENT, REPORT_DATA, false, AT);
    VerificationResult res =
        verifier.verify(r, EvidenceType.SIMULATED, Policy.defaults().withAllowSimulated(true), AT);
    assertThat(res).isInstanceOf(Verified.class);
    Verified v = (Verified) res;
    assertThat(v.teeType()).isEqualTo(TeeType.SIMULATED);
    assertThat(v.teeType().code()).isZero();
    assertThat(v.quoteVersion()).isEqualTo(1);
    assertThat(v.platformId()).isEqualTo(platform.publicKey()).hasSize(33);
    assertThat(v.reportData()).isEqualTo(REPORT_DATA);
    assertThat(v.measurements()).containsEntry("measurement", Hex.encode(MEASUREMENT));
    assertThat(v.debug()).isFalse();
  }

  // Public key cross-checked with Python cryptography (SECP256K1, X9.62 compressed).
  @Test
  void derivesTheKnownPublicKeyAndSignsDeterministically() {
    assertThat(Hex.encode(platform.publicKey()))
        .isEqualTo("024e3b81af9c2234cad09d679ce6035ed1392347ce64ce405f5dcd36228a25de6e");
    assertThat(platform.report(MEASUREMENT, REPORT_DATA, false, AT))
        .isEqualTo(platform.report(MEASUREMENT, REPORT_DATA, false, AT))
        .hasSize(209);
  }

  @Test
  void rejectsSimulatedReportWithAnyBodyByteChanged() {
    byte[] r = platform.report(MEASUREMENT, REPORT_DATA, false, AT);
    Policy allow = Policy.defaults().withAllowSimulated(true);
    for (int i = 8; i < 145; i++) {
      VerificationResult res = verifier.verify(Vectors.flip(r, i, 1), EvidenceType.AUTO, allow, AT);
      assertThat(res).as("byte " + i).isInstanceOf(Rejected.class);
      assertThat(((Rejected) res).reason())
          .isIn(RejectReason.REPORT_SIGNATURE_INVALID, RejectReason.MALFORMED_EVIDENCE);
    }
  }

  @Test
  void rejectsTheHighSTwinOfAValidSignature() {
    byte[] r = platform.report(MEASUREMENT, REPORT_DATA, false, AT);
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(r, 177, 209));
    byte[] high =
        org.bouncycastle.util.BigIntegers.asUnsignedByteArray(
            32, SimulatedReport.CURVE.getN().subtract(s));
    System.arraycopy(high, 0, r, 177, 32);
    VerificationResult res =
        verifier.verify(r, EvidenceType.AUTO, Policy.defaults().withAllowSimulated(true), AT);
    assertThat(((Rejected) res).reason()).isEqualTo(RejectReason.REPORT_SIGNATURE_INVALID);
  }

  @Test
  void rejectsDebugSimulatedEvidenceUnlessDebugIsAllowed() {
    byte[] r = platform.report(MEASUREMENT, REPORT_DATA, true, AT);
    Policy allow = Policy.defaults().withAllowSimulated(true);
    assertThat(((Rejected) verifier.verify(r, EvidenceType.AUTO, allow, AT)).reason())
        .isEqualTo(RejectReason.DEBUG_NOT_ALLOWED);
    assertThat(verifier.verify(r, EvidenceType.AUTO, allow.withAllowDebug(true), AT).isVerified())
        .isTrue();
  }

  @Test
  void roundTripsAGeneratedPlatformKey() {
    SimulatedPlatform p = SimulatedPlatform.generate(new SecureRandom());
    assertThat(SimulatedPlatform.fromPrivateKey(p.privateKey())).isEqualTo(p);
  }

  @Test
  void rejectsSgxExpectationForSimulatedEvidence() {
    byte[] r = platform.report(MEASUREMENT, REPORT_DATA, false, AT);
    VerificationResult res =
        verifier.verify(r, EvidenceType.SGX, Policy.defaults().withAllowSimulated(true), AT);
    assertThat(((Rejected) res).reason()).isEqualTo(RejectReason.EVIDENCE_TYPE_MISMATCH);
  }
}
