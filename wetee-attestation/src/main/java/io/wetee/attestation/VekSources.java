package io.wetee.attestation;

import io.wetee.attestation.spi.VekSource;
import java.util.Optional;

/** Factory of {@link VekSource}s: a fixed certificate, or the AMD KDS with a disk cache. */
public final class VekSources {
  private VekSources() {}

  /** The same VCEK or VLEK (DER, or PEM) for every report. */
  public static VekSource fixed(byte[] certificate) {
    byte[] der;
    try {
      der = TrustAnchors.read(certificate).get(0).getEncoded();
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new AttestationException("unreadable VEK certificate", e);
    }
    return req -> Optional.of(der.clone());
  }
}
