package io.wetee.attestation;

/**
 * Why evidence was rejected. Each reason has a stable code (and name) that callers may persist or
 * send over the wire; new reasons get new codes, existing codes never change meaning.
 */
public enum RejectReason {
  /** The evidence bytes do not parse; the message names the field and the offset. */
  MALFORMED_EVIDENCE(1),
  /** A well-formed evidence of a version, key type or certification data type we do not support. */
  UNSUPPORTED_EVIDENCE(2),
  /** The evidence type differs from the one the caller asked for. */
  EVIDENCE_TYPE_MISMATCH(3),
  /** SIMULATED evidence, and the policy does not allow it. */
  SIMULATED_NOT_ALLOWED(4),
  /** A certificate chain does not verify up to the pinned trust anchor. */
  CERT_CHAIN_INVALID(10),
  /** A certificate of a chain is not valid at the verification time. */
  CERT_EXPIRED(11),
  /** A certificate of a chain is on its issuer's CRL. */
  CERT_REVOKED(12),
  /** The quote's ECDSA signature by the attestation key does not verify. */
  QUOTE_SIGNATURE_INVALID(20),
  /** The QE report's signature by the PCK key does not verify. */
  QE_REPORT_SIGNATURE_INVALID(21),
  /** QE report data is not SHA-256(attestation key | QE authentication data). */
  QE_REPORT_DATA_MISMATCH(22),
  /** The QE report does not match the QE identity (MRSIGNER, ISVPRODID, MISCSELECT, ATTRIBUTES). */
  QE_IDENTITY_MISMATCH(23),
  /** The SEV-SNP report's signature by the VCEK or VLEK does not verify. */
  REPORT_SIGNATURE_INVALID(24),
  /** Collateral needed for this evidence is not available. */
  COLLATERAL_MISSING(30),
  /** Collateral is malformed, or its signature or issuer chain does not verify. */
  COLLATERAL_INVALID(31),
  /** Collateral (TCB info, QE identity, a CRL) is not valid at the verification time. */
  COLLATERAL_EXPIRED(32),
  /** Collateral is for another platform (FMSPC, PCE-ID, TEE type). */
  COLLATERAL_MISMATCH(33),
  /** No TCB level of the TCB info (or QE identity, or TDX module identity) matches. */
  TCB_LEVEL_NOT_FOUND(40),
  /** The TDX module (MRSIGNER_SEAM, SEAM_ATTRIBUTES) does not match the TCB info. */
  TDX_MODULE_MISMATCH(41),
  /** The SEV-SNP reported TCB differs from the TCB in the VCEK/VLEK certificate. */
  TCB_MISMATCH(42),
  /** The SEV-SNP chip_id differs from the VCEK's hwID. */
  CHIP_ID_MISMATCH(43),
  /** The TCB status is not in the policy's accepted statuses. */
  TCB_STATUS_NOT_ALLOWED(50),
  /** An advisory ID is not on the policy's allow-list. */
  ADVISORY_NOT_ALLOWED(51),
  /** A debug enclave, TD or guest, and the policy does not allow debug. */
  DEBUG_NOT_ALLOWED(52),
  /** A measurement is not on the policy's allow-list. */
  MEASUREMENT_NOT_ALLOWED(53),
  /** report_data differs from the policy's expected value. */
  REPORT_DATA_MISMATCH(54),
  /** The TD has a non-zero MRSERVICETD that the policy does not allow. */
  SERVICE_TD_NOT_ALLOWED(55);

  private final int code;

  RejectReason(int code) {
    this.code = code;
  }

  /** The stable numeric code. */
  public int code() {
    return code;
  }
}
