package io.wetee.attestation.spi;

import io.wetee.attestation.TeeType;
import java.util.Objects;

/**
 * What a DCAP quote needs collateral for.
 *
 * @param teeType {@link TeeType#SGX} or {@link TeeType#TDX}
 * @param fmspc the platform's FMSPC as upper-case hex (12 digits), or "" when not yet known (the
 *     quote carries no PCK certificate: the source must then supply it)
 * @param pckCa "platform" or "processor" (which PCK CA issued the PCK certificate), or "" when not
 *     yet known
 */
public record CollateralRequest(TeeType teeType, String fmspc, String pckCa) {
  public CollateralRequest {
    Objects.requireNonNull(teeType, "teeType");
    Objects.requireNonNull(fmspc, "fmspc");
    Objects.requireNonNull(pckCa, "pckCa");
  }
}
