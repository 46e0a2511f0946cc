package io.wetee.attestation;

/** Test access to format recognition. */
final class EvidenceFormatsAccess {
  private EvidenceFormatsAccess() {}

  static boolean isSnp(byte[] b) {
    try {
      return EvidenceFormats.detect(b) == EvidenceType.SEV_SNP;
    } catch (Reject r) {
      return false;
    }
  }
}
