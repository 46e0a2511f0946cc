package io.wetee.attestation;

/**
 * An SGX enclave report body (384 bytes), as carried in an SGX quote and as the QE report.
 *
 * <p>Design notes: layout of {@code sgx_report_body_t}, Intel "SGX ECDSA Quote Library API" A.3.10
 * (Enclave Report Body): CPUSVN 16 @0, MISCSELECT 4 @16, ISVEXTPRODID 16 @32, ATTRIBUTES 16 @48,
 * MRENCLAVE 32 @64, MRSIGNER 32 @128, CONFIGID 64 @192, ISVPRODID 2 @256, ISVSVN 2 @258, CONFIGSVN
 * 2 @260, ISVFAMILYID 16 @304, REPORTDATA 64 @320.
 */
@SuppressWarnings("ArrayRecordComponent") // internal value; arrays are never shared out
record SgxReportBody(
    byte[] raw,
    byte[] cpuSvn,
    long miscSelect,
    byte[] attributes,
    byte[] mrEnclave,
    byte[] mrSigner,
    byte[] configId,
    int isvProdId,
    int isvSvn,
    int configSvn,
    byte[] isvFamilyId,
    byte[] reportData) {

  static final int SIZE = 384;

  static SgxReportBody parse(ByteReader in, String what) {
    int start = in.position();
    ByteReader r = in.sub(SIZE, what);
    byte[] raw = r.bytes(SIZE, what);
    r = new ByteReader(raw);
    byte[] cpuSvn = r.bytes(16, what + ".cpusvn");
    long misc = r.u32(what + ".miscselect");
    r.skip(12 + 16, what + ".reserved1");
    byte[] attributes = r.bytes(16, what + ".attributes");
    byte[] mrEnclave = r.bytes(32, what + ".mrenclave");
    r.skip(32, what + ".reserved2");
    byte[] mrSigner = r.bytes(32, what + ".mrsigner");
    r.skip(32, what + ".reserved3");
    byte[] configId = r.bytes(64, what + ".configid");
    int prodId = r.u16(what + ".isvprodid");
    int svn = r.u16(what + ".isvsvn");
    int configSvn = r.u16(what + ".configsvn");
    r.skip(42, what + ".reserved4");
    byte[] family = r.bytes(16, what + ".isvfamilyid");
    byte[] reportData = r.bytes(64, what + ".reportdata");
    assert r.remaining() == 0 : "report body at " + start;
    return new SgxReportBody(
        raw,
        cpuSvn,
        misc,
        attributes,
        mrEnclave,
        mrSigner,
        configId,
        prodId,
        svn,
        configSvn,
        family,
        reportData);
  }

  /** ATTRIBUTES.DEBUG is bit 1 of the first attribute byte (SGX SDM, SECS.ATTRIBUTES). */
  boolean debug() {
    return (attributes[0] & 0x02) != 0;
  }
}
