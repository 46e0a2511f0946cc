package io.wetee.attestation;

import java.util.Objects;

/**
 * Evidence collected by an {@link io.wetee.attestation.spi.EvidenceProvider}.
 *
 * @param type the evidence type (never {@link EvidenceType#AUTO})
 * @param bytes the quote or report, as {@link EvidenceVerifier} takes it
 * @param auxiliary extra data from the platform (configfs-tsm {@code auxblob}: for SEV-SNP the
 *     certificate table with the VCEK), or empty
 * @param provider the platform's name for the provider (configfs-tsm {@code provider}, Gramine
 *     {@code attestation_type}, or "simulated")
 */
@SuppressWarnings("ArrayRecordComponent") // copied in and out
public record Evidence(EvidenceType type, byte[] bytes, byte[] auxiliary, String provider) {
  public Evidence {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(provider, "provider");
    bytes = bytes.clone();
    auxiliary = auxiliary.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public byte[] auxiliary() {
    return auxiliary.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Evidence e
        && type == e.type
        && java.util.Arrays.equals(bytes, e.bytes)
        && java.util.Arrays.equals(auxiliary, e.auxiliary)
        && provider.equals(e.provider);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, java.util.Arrays.hashCode(bytes), provider);
  }

  @Override
  public String toString() {
    return "Evidence[" + type + ", " + bytes.length + " bytes, provider=" + provider + "]";
  }
}
