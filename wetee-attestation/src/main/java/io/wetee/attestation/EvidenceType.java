package io.wetee.attestation;

/** The evidence format a caller expects; {@link #AUTO} recognises it from the bytes. */
public enum EvidenceType {
  AUTO,
  SGX,
  TDX,
  SEV_SNP,
  SIMULATED
}
