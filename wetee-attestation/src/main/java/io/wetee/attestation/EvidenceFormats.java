package io.wetee.attestation;

import io.wetee.common.Hex;

/**
 * Recognises evidence formats from their first bytes, and hex text from binary.
 *
 * <p>Design notes: a DCAP quote starts with version u16 3..5 and attestation key type u16 2 (Intel
 * quote header), TEE type 0 (SGX) or 0x81 (TDX) at offset 4; an SEV-SNP report starts with version
 * u32 2..5 (AMD SEV-SNP ABI, ATTESTATION_REPORT); a SIMULATED report starts with the ASCII magic
 * {@code WTSIM}. These prefixes do not overlap.
 */
final class EvidenceFormats {
  private EvidenceFormats() {}

  /** Decodes hex text (optionally 0x-prefixed, white space around) or returns binary as is. */
  static byte[] binary(byte[] in) {
    int digits = 0;
    for (int i = 0; i < in.length; i++) {
      int c = in[i];
      boolean prefix = i + 1 < in.length && c == '0' && (in[i + 1] == 'x' || in[i + 1] == 'X');
      if (prefix && digits == 0) {
        i++;
        continue;
      }
      if (Character.digit(c, 16) >= 0) {
        digits++;
      } else if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        return in;
      }
    }
    if (digits == 0 || (digits & 1) != 0) {
      return in;
    }
    try {
      return Hex.decode(
          new String(in, java.nio.charset.StandardCharsets.US_ASCII).replaceAll("\\s", ""));
    } catch (IllegalArgumentException e) {
      return in;
    }
  }

  static EvidenceType detect(byte[] b) {
    if (b.length >= 8 && SimulatedReport.hasMagic(b)) {
      return EvidenceType.SIMULATED;
    }
    if (b.length >= 8) {
      int u16 = (b[0] & 0xff) | (b[1] & 0xff) << 8;
      int keyType = (b[2] & 0xff) | (b[3] & 0xff) << 8;
      long tee = ByteReader.u32At(b, 4);
      if (u16 >= 3 && u16 <= 5 && keyType == 2) {
        return tee == DcapQuote.TEE_TDX ? EvidenceType.TDX : EvidenceType.SGX;
      }
      long u32 = ByteReader.u32At(b, 0);
      if (u32 >= 2 && u32 <= 5) {
        return EvidenceType.SEV_SNP;
      }
    }
    throw new Reject(
        RejectReason.MALFORMED_EVIDENCE,
        "unrecognised evidence format ("
            + b.length
            + " bytes); expected a DCAP quote, an SEV-SNP"
            + " report or a SIMULATED report");
  }
}
