package io.wetee.attestation.spi;

import java.util.Optional;

/**
 * Supplies the AMD VCEK or VLEK certificate that signed an SEV-SNP report (a file, the AMD KDS, a
 * cache, or the certificate table of an extended report). Implementations must be thread-safe.
 */
public interface VekSource {

  /** The DER certificate for the request, or empty when this source has none. */
  Optional<byte[]> vek(VekRequest request);
}
