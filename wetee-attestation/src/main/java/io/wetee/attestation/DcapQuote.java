package io.wetee.attestation;

import java.util.Arrays;

/**
 * A parsed SGX (v3) or TDX (v4, v5) ECDSA quote.
 *
 * <p>Design notes: Intel "SGX ECDSA Quote Library API" A.3 (quote v3) and "TDX DCAP Quoting Library
 * API" A.3/A.4 (quote v4, v5). Header 48 bytes; v5 inserts a body descriptor (type u16, size u32)
 * before the body; the signed bytes are header and body. The quote is sized by its signature-data
 * length: bytes after the signature data are ignored. In v3 the signature data carries the QE
 * report directly; in v4/v5 it carries certification data of type 6 that wraps the QE report and
 * the type-5 PCK chain.
 */
@SuppressWarnings("ArrayRecordComponent") // internal value; arrays are never shared out
record DcapQuote(
    int version,
    int attestationKeyType,
    long teeType,
    int headerQeSvn,
    int headerPceSvn,
    byte[] qeVendorId,
    byte[] userData,
    int bodyType,
    SgxReportBody sgxBody,
    TdReportBody tdBody,
    byte[] signedBytes,
    byte[] signature,
    byte[] attestationKey,
    SgxReportBody qeReport,
    byte[] qeReportSignature,
    byte[] qeAuthData,
    int certDataType,
    byte[] certData,
    int quoteLength) {

  static final int HEADER = 48;
  static final long TEE_SGX = 0x00;
  static final long TEE_TDX = 0x81;
  static final int BODY_SGX = 1;
  static final int BODY_TD10 = 2;
  static final int BODY_TD15 = 3;

  boolean isTdx() {
    return teeType == TEE_TDX;
  }

  /** Parses a quote; the only exception is {@link EvidenceFormatException}. */
  static DcapQuote parse(byte[] q) {
    ByteReader r = new ByteReader(q);
    int version = r.u16("header.version");
    if (version < 3 || version > 5) {
      throw new EvidenceFormatException(
          "header.version", 0, "unsupported quote version " + version);
    }
    int keyType = r.u16("header.att_key_type");
    if (keyType != 2) {
      throw new EvidenceFormatException(
          "header.att_key_type", 2, "unsupported attestation key type " + keyType);
    }
    long teeType = r.u32("header.tee_type");
    int qeSvn = r.u16("header.qe_svn");
    int pceSvn = r.u16("header.pce_svn");
    byte[] vendor = r.bytes(16, "header.qe_vendor_id");
    byte[] userData = r.bytes(20, "header.user_data");
    if (version == 3 ? teeType != TEE_SGX : teeType != TEE_SGX && teeType != TEE_TDX) {
      throw new EvidenceFormatException("header.tee_type", 4, "unsupported TEE type " + teeType);
    }
    int bodyType = bodyType(r, version, teeType);
    SgxReportBody sgx = null;
    TdReportBody td = null;
    if (bodyType == BODY_SGX) {
      sgx = SgxReportBody.parse(r, "body");
    } else {
      td = TdReportBody.parse(r, bodyType == BODY_TD15);
    }
    int signedLen = r.position();
    long sigLen = r.u32("signature_data_len");
    ByteReader s = r.sub(sigLen, "signature_data");
    return parseSignatureData(
        s,
        new Header(version, keyType, teeType, qeSvn, pceSvn, vendor, userData, bodyType),
        sgx,
        td,
        Arrays.copyOf(q, signedLen),
        r.position());
  }

  private static int bodyType(ByteReader r, int version, long teeType) {
    if (version < 5) {
      return teeType == TEE_TDX ? BODY_TD10 : BODY_SGX;
    }
    int at = r.position();
    int type = r.u16("body_descriptor.type");
    long size = r.u32("body_descriptor.size");
    long expected =
        switch (type) {
          case BODY_SGX -> SgxReportBody.SIZE;
          case BODY_TD10 -> TdReportBody.SIZE_10;
          case BODY_TD15 -> TdReportBody.SIZE_15;
          default ->
              throw new EvidenceFormatException(
                  "body_descriptor.type", at, "unknown body type " + type);
        };
    if (size != expected || (type == BODY_SGX) != (teeType == TEE_SGX)) {
      throw new EvidenceFormatException(
          "body_descriptor.size", at + 2, "body type " + type + " with size " + size);
    }
    return type;
  }

  private record Header(
      int version,
      int keyType,
      long teeType,
      int qeSvn,
      int pceSvn,
      byte[] vendor,
      byte[] userData,
      int bodyType) {}

  private static DcapQuote parseSignatureData(
      ByteReader s, Header h, SgxReportBody sgx, TdReportBody td, byte[] signed, int length) {
    byte[] sig = s.bytes(64, "signature_data.quote_signature");
    byte[] key = s.bytes(64, "signature_data.attestation_key");
    ByteReader qe = s;
    if (h.version() >= 4) {
      int at = s.position();
      int type = s.u16("signature_data.cert_data_type");
      if (type != 6) {
        throw new EvidenceFormatException(
            "signature_data.cert_data_type", at, "expected 6 (QE report), got " + type);
      }
      long size = s.u32("signature_data.cert_data_size");
      qe = s.sub(size, "signature_data.qe_report_cert_data");
      requireEnd(s, "signature_data");
    }
    SgxReportBody qeReport = SgxReportBody.parse(qe, "qe_report");
    byte[] qeSig = qe.bytes(64, "qe_report_signature");
    int authLen = qe.u16("qe_auth_data.size");
    byte[] auth = qe.bytes(authLen, "qe_auth_data");
    int certType = qe.u16("cert_data.type");
    long certSize = qe.u32("cert_data.size");
    byte[] cert = qe.bytes(certSize, "cert_data");
    requireEnd(qe, "cert_data");
    return new DcapQuote(
        h.version(),
        h.keyType(),
        h.teeType(),
        h.qeSvn(),
        h.pceSvn(),
        h.vendor(),
        h.userData(),
        h.bodyType(),
        sgx,
        td,
        signed,
        sig,
        key,
        qeReport,
        qeSig,
        auth,
        certType,
        cert,
        length);
  }

  private static void requireEnd(ByteReader r, String what) {
    if (r.remaining() != 0) {
      throw new EvidenceFormatException(
          what, r.position(), r.remaining() + " unexpected bytes after the certification data");
    }
  }

  byte[] reportData() {
    return sgxBody != null ? sgxBody.reportData() : tdBody.reportData();
  }
}
