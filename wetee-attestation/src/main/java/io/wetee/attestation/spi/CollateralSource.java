package io.wetee.attestation.spi;

import io.wetee.attestation.DcapCollateral;
import java.util.Optional;

/**
 * Supplies DCAP collateral (Intel PCS or PCCS responses, files, a cache). Implementations must be
 * thread-safe; the verifier calls them for every quote, so they should return the same {@link
 * DcapCollateral} instance while it is fresh (the verifier caches its checks per instance).
 */
public interface CollateralSource {

  /**
   * Collateral for the request, or empty when this source has none. A source that cannot reach its
   * backend throws {@link io.wetee.attestation.AttestationException}.
   */
  Optional<DcapCollateral> collateral(CollateralRequest request);
}
