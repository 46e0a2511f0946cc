package io.wetee.attestation;

import java.util.Arrays;

/**
 * An AMD SEV-SNP attestation report, versions 2 and 3 (1184 bytes).
 *
 * <p>Design notes: AMD "SEV Secure Nested Paging Firmware ABI Specification" (56860) table 22,
 * ATTESTATION_REPORT: VERSION @0x00, GUEST_SVN @0x04, POLICY @0x08 (bit 19 DEBUG), FAMILY_ID @0x10,
 * IMAGE_ID @0x20, VMPL @0x30, SIGNATURE_ALGO @0x34 (1 = ECDSA P-384 with SHA-384),
 * CURRENT_TCB @0x38, PLATFORM_INFO @0x40, key info @0x48 (bit 0 AUTHOR_KEY_EN, bit 1 MASK_CHIP_KEY,
 * bits 2-4 SIGNING_KEY: 0 VCEK, 1 VLEK), REPORT_DATA @0x50, MEASUREMENT @0x90, HOST_DATA @0xC0,
 * ID_KEY_DIGEST @0xE0, AUTHOR_KEY_DIGEST @0x110, REPORT_ID @0x140, REPORT_ID_MA @0x160,
 * REPORTED_TCB @0x180, CPUID_FAM/MOD/STEP @0x188 (v3), CHIP_ID @0x1A0, COMMITTED_TCB @0x1E0,
 * LAUNCH_TCB @0x1F0, SIGNATURE @0x2A0 (R and S, 72 bytes each, little-endian). The signature covers
 * bytes 0x000..0x29F.
 */
@SuppressWarnings("ArrayRecordComponent") // internal value; arrays are never shared out
record SnpReport(
    int version,
    long guestSvn,
    long policy,
    byte[] familyId,
    byte[] imageId,
    long vmpl,
    long signatureAlgo,
    long currentTcb,
    long platformInfo,
    long keyInfo,
    byte[] reportData,
    byte[] measurement,
    byte[] hostData,
    byte[] idKeyDigest,
    byte[] authorKeyDigest,
    byte[] reportId,
    byte[] reportIdMa,
    long reportedTcb,
    int cpuidFamily,
    int cpuidModel,
    int cpuidStep,
    byte[] chipId,
    long committedTcb,
    byte[] versions,
    long launchTcb,
    byte[] signed,
    byte[] r,
    byte[] s) {

  static final int SIZE = 0x4A0;
  static final int SIGNED = 0x2A0;
  static final long POLICY_DEBUG = 1L << 19;

  static SnpReport parse(byte[] b) {
    if (b.length < SIZE) {
      throw new EvidenceFormatException("report", b.length, "needs " + SIZE + " bytes");
    }
    ByteReader in = new ByteReader(b, 0, SIZE);
    long version = in.u32("version");
    if (version != 2 && version != 3) {
      throw new EvidenceFormatException("version", 0, "unsupported report version " + version);
    }
    long guestSvn = in.u32("guest_svn");
    long policy = in.u64("policy");
    byte[] family = in.bytes(16, "family_id");
    byte[] image = in.bytes(16, "image_id");
    long vmpl = in.u32("vmpl");
    long sigAlgo = in.u32("signature_algo");
    long currentTcb = in.u64("current_tcb");
    long platformInfo = in.u64("platform_info");
    long keyInfo = in.u32("key_info");
    in.skip(4, "reserved");
    byte[] reportData = in.bytes(64, "report_data");
    byte[] measurement = in.bytes(48, "measurement");
    byte[] hostData = in.bytes(32, "host_data");
    byte[] idKey = in.bytes(48, "id_key_digest");
    byte[] authorKey = in.bytes(48, "author_key_digest");
    byte[] reportId = in.bytes(32, "report_id");
    byte[] reportIdMa = in.bytes(32, "report_id_ma");
    long reportedTcb = in.u64("reported_tcb");
    int family8 = in.u8("cpuid_fam_id");
    int model8 = in.u8("cpuid_mod_id");
    int step8 = in.u8("cpuid_step");
    in.skip(0x1A0 - 0x18B, "reserved");
    byte[] chipId = in.bytes(64, "chip_id");
    long committedTcb = in.u64("committed_tcb");
    byte[] versions = in.bytes(8, "current and committed build/minor/major");
    long launchTcb = in.u64("launch_tcb");
    ByteReader sig = new ByteReader(b, SIGNED, SIZE);
    byte[] r = sig.bytes(72, "signature.r");
    byte[] s = sig.bytes(72, "signature.s");
    return new SnpReport(
        (int) version,
        guestSvn,
        policy,
        family,
        image,
        vmpl,
        sigAlgo,
        currentTcb,
        platformInfo,
        keyInfo,
        reportData,
        measurement,
        hostData,
        idKey,
        authorKey,
        reportId,
        reportIdMa,
        reportedTcb,
        family8,
        model8,
        step8,
        chipId,
        committedTcb,
        versions,
        launchTcb,
        Arrays.copyOf(b, SIGNED),
        r,
        s);
  }

  /** 0 VCEK, 1 VLEK, 7 none. */
  int signingKey() {
    return (int) ((keyInfo >> 2) & 7);
  }

  boolean maskChipKey() {
    return (keyInfo & 2) != 0;
  }

  boolean debug() {
    return (policy & POLICY_DEBUG) != 0;
  }

  /** r || s, big-endian 48 bytes each, or empty when the high bytes are not zero. */
  byte[] p1363Signature() {
    byte[] out = new byte[96];
    for (int i = 0; i < 72; i++) {
      if (i >= 48 && (r[i] != 0 || s[i] != 0)) {
        return new byte[0];
      }
      if (i < 48) {
        out[47 - i] = r[i];
        out[95 - i] = s[i];
      }
    }
    return out;
  }

  /** The product from CPUID (report v3); "" when unknown (v2, or an unknown family/model). */
  String product() {
    if (version < 3) {
      return "";
    }
    return switch (cpuidFamily) {
      case 0x19 -> cpuidModel < 0x10 ? "Milan" : "Genoa";
      case 0x1A -> "Turin";
      default -> "";
    };
  }
}
