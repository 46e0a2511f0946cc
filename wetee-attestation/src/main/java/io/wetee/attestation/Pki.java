package io.wetee.attestation;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;

/**
 * Certificate-path and CRL checks against one pinned trust anchor.
 *
 * <p>Design notes: RFC 5280 section 6.1 basic path validation, reduced to what Intel's and AMD's
 * fixed hierarchies need: name chaining, signatures, validity at the verification time, the CA flag
 * of issuers, and revocation by the issuer's CRL (section 6.3, CRL validity by thisUpdate and
 * nextUpdate). The path ends at the anchor, compared by encoding; a chain may include it or not.
 * Signature results (time-independent) are memoised per (certificate, issuer key); validity and
 * revocation are evaluated on every call.
 */
@SuppressWarnings("ReferenceEquality") // identity is a fast path before comparing encodings
final class Pki {
  private final X509Certificate anchor;
  private final byte[] anchorDer;
  private final BoundedCache<SigKey, Boolean> signatures = new BoundedCache<>(4096);

  private record SigKey(Object signed, PublicKey key) {}

  Pki(X509Certificate anchor) {
    this.anchor = anchor;
    try {
      this.anchorDer = anchor.getEncoded();
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new AttestationException("unreadable trust anchor", e);
    }
  }

  X509Certificate anchor() {
    return anchor;
  }

  boolean isAnchor(X509Certificate c) {
    try {
      return c == anchor || Arrays.equals(c.getEncoded(), anchorDer);
    } catch (java.security.cert.CertificateEncodingException e) {
      return false;
    }
  }

  boolean signedBy(X509Certificate c, PublicKey key) {
    return signatures.get(
        new SigKey(c, key),
        k -> {
          try {
            c.verify(key);
            return true;
          } catch (GeneralSecurityException | RuntimeException e) {
            return false;
          }
        });
  }

  boolean signedBy(X509CRL crl, PublicKey key) {
    return signatures.get(
        new SigKey(crl, key),
        k -> {
          try {
            crl.verify(key);
            return true;
          } catch (GeneralSecurityException | RuntimeException e) {
            return false;
          }
        });
  }

  /** Verifies names and signatures from chain[0] up to the anchor. */
  void verifyChain(List<X509Certificate> chain, String what) {
    for (int i = 0; i < chain.size(); i++) {
      X509Certificate c = chain.get(i);
      if (i > 0 && isAnchor(c)) {
        return;
      }
      X509Certificate issuer = i + 1 < chain.size() ? chain.get(i + 1) : anchor;
      String name = what + " certificate '" + Certs.commonName(c) + "'";
      if (!c.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
        throw new Reject(RejectReason.CERT_CHAIN_INVALID, name + " is not issued by the next one");
      }
      if (issuer.getBasicConstraints() < 0) {
        throw new Reject(RejectReason.CERT_CHAIN_INVALID, name + " has a non-CA issuer");
      }
      if (!signedBy(c, issuer.getPublicKey())) {
        throw new Reject(
            RejectReason.CERT_CHAIN_INVALID,
            name + " signature does not verify with " + Certs.commonName(issuer) + "'s key");
      }
      if (issuer == anchor) {
        return;
      }
    }
  }

  static void checkValidity(List<X509Certificate> chain, Instant at, String what) {
    Date d = Date.from(at);
    for (X509Certificate c : chain) {
      try {
        c.checkValidity(d);
      } catch (CertificateExpiredException | CertificateNotYetValidException e) {
        throw new Reject(
            RejectReason.CERT_EXPIRED,
            what
                + " certificate '"
                + Certs.commonName(c)
                + "' is not valid at "
                + at
                + " (valid "
                + c.getNotBefore().toInstant()
                + ".."
                + c.getNotAfter().toInstant()
                + ")");
      }
    }
  }

  /** The CRL is issued and signed by {@code issuer} and current at {@code at}. */
  void checkCrl(X509CRL crl, X509Certificate issuer, Instant at, String what) {
    if (!crl.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
      throw new Reject(
          RejectReason.COLLATERAL_MISMATCH,
          what
              + " is issued by '"
              + crl.getIssuerX500Principal().getName()
              + "', expected '"
              + Certs.commonName(issuer)
              + "'");
    }
    if (!signedBy(crl, issuer.getPublicKey())) {
      throw new Reject(RejectReason.COLLATERAL_INVALID, what + " signature does not verify");
    }
    Instant thisUpdate = crl.getThisUpdate().toInstant();
    Date next = crl.getNextUpdate();
    if (at.isBefore(thisUpdate) || next == null || at.isAfter(next.toInstant())) {
      throw new Reject(
          RejectReason.COLLATERAL_EXPIRED,
          what
              + " is not current at "
              + at
              + " ("
              + thisUpdate
              + ".."
              + (next == null ? "?" : next.toInstant())
              + ")");
    }
  }

  static void checkNotRevoked(X509CRL crl, X509Certificate c, String what) {
    if (crl.isRevoked(c)) {
      throw new Reject(
          RejectReason.CERT_REVOKED,
          what
              + " certificate '"
              + Certs.commonName(c)
              + "' serial "
              + c.getSerialNumber().toString(16)
              + " is revoked");
    }
  }
}
