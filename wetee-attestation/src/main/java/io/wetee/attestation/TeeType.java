package io.wetee.attestation;

/**
 * The kind of TEE that produced verified evidence. The codes are part of the on-chain contracts
 * (verdicts carry them): never reorder.
 */
public enum TeeType {
  SIMULATED(0),
  SGX(1),
  TDX(2),
  SEV_SNP(3);

  private final int code;

  TeeType(int code) {
    this.code = code;
  }

  /** The stable numeric code used by the contracts. */
  public int code() {
    return code;
  }
}
