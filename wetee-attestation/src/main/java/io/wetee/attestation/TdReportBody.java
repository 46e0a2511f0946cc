package io.wetee.attestation;

/**
 * A TDX TD report body: TD report 1.0 (584 bytes) or 1.5 (648 bytes).
 *
 * <p>Design notes: Intel "TDX DCAP Quoting Library API" A.3.2 (TD Quote Body) and A.4 (v5 TD Report
 * 1.5): TEE_TCB_SVN 16, MRSEAM 48, MRSIGNERSEAM 48, SEAMATTRIBUTES 8, TDATTRIBUTES 8, XFAM 8, MRTD
 * 48, MRCONFIGID 48, MROWNER 48, MROWNERCONFIG 48, RTMR0..3 48 each, REPORTDATA 64; 1.5 adds
 * TEE_TCB_SVN2 16 and MRSERVICETD 48. TD 1.0 has no MRSERVICETD: it reads as empty here.
 */
@SuppressWarnings("ArrayRecordComponent") // internal value; arrays are never shared out
record TdReportBody(
    boolean v15,
    byte[] teeTcbSvn,
    byte[] mrSeam,
    byte[] mrSignerSeam,
    byte[] seamAttributes,
    byte[] tdAttributes,
    byte[] xfam,
    byte[] mrTd,
    byte[] mrConfigId,
    byte[] mrOwner,
    byte[] mrOwnerConfig,
    byte[][] rtmrs,
    byte[] reportData,
    byte[] teeTcbSvn2,
    byte[] mrServiceTd) {

  static final int SIZE_10 = 584;
  static final int SIZE_15 = 648;

  static TdReportBody parse(ByteReader r, boolean v15) {
    byte[] teeTcbSvn = r.bytes(16, "td.tee_tcb_svn");
    byte[] mrSeam = r.bytes(48, "td.mrseam");
    byte[] mrSignerSeam = r.bytes(48, "td.mrsignerseam");
    byte[] seamAttr = r.bytes(8, "td.seam_attributes");
    byte[] tdAttr = r.bytes(8, "td.td_attributes");
    byte[] xfam = r.bytes(8, "td.xfam");
    byte[] mrTd = r.bytes(48, "td.mrtd");
    byte[] mrConfigId = r.bytes(48, "td.mrconfigid");
    byte[] mrOwner = r.bytes(48, "td.mrowner");
    byte[] mrOwnerConfig = r.bytes(48, "td.mrownerconfig");
    byte[][] rtmrs = new byte[4][];
    for (int i = 0; i < 4; i++) {
      rtmrs[i] = r.bytes(48, "td.rtmr" + i);
    }
    byte[] reportData = r.bytes(64, "td.reportdata");
    byte[] svn2 = v15 ? r.bytes(16, "td.tee_tcb_svn2") : new byte[0];
    byte[] serviceTd = v15 ? r.bytes(48, "td.mrservicetd") : new byte[0];
    return new TdReportBody(
        v15,
        teeTcbSvn,
        mrSeam,
        mrSignerSeam,
        seamAttr,
        tdAttr,
        xfam,
        mrTd,
        mrConfigId,
        mrOwner,
        mrOwnerConfig,
        rtmrs,
        reportData,
        svn2,
        serviceTd);
  }

  /** TD_ATTRIBUTES.DEBUG is bit 0 (TDX module ABI, TDINFO_STRUCT.ATTRIBUTES). */
  boolean debug() {
    return (tdAttributes[0] & 0x01) != 0;
  }
}
