package io.wetee.attestation.spi;

import io.wetee.attestation.Evidence;

/**
 * Produces attestation evidence for this instance (used by the agent inside the TEE). Calls may
 * block on the platform (file system, quoting service); implementations serialise their own access
 * to shared platform state and are safe to call from several threads.
 */
public interface EvidenceProvider {

  /**
   * Collects evidence binding {@code reportData}.
   *
   * @param reportData exactly 64 bytes, placed in the evidence's report_data
   * @throws io.wetee.attestation.AttestationException when the platform cannot produce evidence
   */
  Evidence collect(byte[] reportData);
}
