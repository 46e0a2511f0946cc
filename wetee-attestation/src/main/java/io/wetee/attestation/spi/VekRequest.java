package io.wetee.attestation.spi;

import java.util.Objects;

/**
 * What an SEV-SNP report needs a key certificate for.
 *
 * @param vlek true when the report's key_info says it is signed by a VLEK, false for a VCEK
 * @param chipIdHex the report's chip_id as lower-case hex (128 digits)
 * @param reportedTcb the report's REPORTED_TCB as the raw little-endian 64-bit value
 * @param product "Milan", "Genoa", "Turin", or "" when the report does not say (report v2)
 */
public record VekRequest(boolean vlek, String chipIdHex, long reportedTcb, String product) {
  public VekRequest {
    Objects.requireNonNull(chipIdHex, "chipIdHex");
    Objects.requireNonNull(product, "product");
  }
}
