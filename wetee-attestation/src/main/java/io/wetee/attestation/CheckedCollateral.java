package io.wetee.attestation;

import com.fasterxml.jackson.databind.JsonNode;
import io.wetee.common.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * DCAP collateral after its time-independent checks: parsed, root CRL signed by the anchor, TCB
 * info and QE identity issuer chains verified to the anchor and their signatures verified over the
 * exact signed bytes. {@link #checkTime} adds the checks that depend on the verification time.
 *
 * <p>Design notes: Intel PCS API v4 (TCB info, enclave identity, CRLs) and Intel QVL's collateral
 * checks ({@code QuoteVerifier::verify}: TCB info and QE identity signature and chain, root and
 * intermediate CRLs, validity of everything at the given time).
 */
record CheckedCollateral(
    X509CRL rootCrl,
    X509CRL pckCrl,
    List<X509Certificate> tcbChain,
    List<X509Certificate> qeChain,
    TcbInfo tcbInfo,
    QeIdentity qeIdentity,
    List<X509Certificate> pckChain) {

  static CheckedCollateral check(DcapCollateral c, Pki pki) {
    try {
      X509CRL rootCrl = Certs.parseCrl(c.rootCaCrl(), "root_ca_crl");
      X509CRL pckCrl = Certs.parseCrl(c.pckCrl(), "pck_crl");
      if (!rootCrl.getIssuerX500Principal().equals(pki.anchor().getSubjectX500Principal())
          || !pki.signedBy(rootCrl, pki.anchor().getPublicKey())) {
        throw new Reject(
            RejectReason.COLLATERAL_INVALID, "root CA CRL is not signed by the anchor");
      }
      List<X509Certificate> tcbChain =
          Certs.parsePemChain(bytes(c.tcbInfoIssuerChain()), "tcb_chain");
      List<X509Certificate> qeChain =
          Certs.parsePemChain(bytes(c.qeIdentityIssuerChain()), "qe_chain");
      pki.verifyChain(tcbChain, "TCB info issuer");
      pki.verifyChain(qeChain, "QE identity issuer");
      byte[] tcbBody = c.tcbInfo();
      byte[] qeBody = c.qeIdentity();
      if (!Ecdsa.verifyP256(tcbChain.get(0).getPublicKey(), tcbBody, c.tcbInfoSignature())) {
        throw new Reject(RejectReason.COLLATERAL_INVALID, "TCB info signature does not verify");
      }
      if (!Ecdsa.verifyP256(qeChain.get(0).getPublicKey(), qeBody, c.qeIdentitySignature())) {
        throw new Reject(RejectReason.COLLATERAL_INVALID, "QE identity signature does not verify");
      }
      List<X509Certificate> pckChain =
          c.pckCertChain().isEmpty()
              ? List.of()
              : Certs.parsePemChain(bytes(c.pckCertChain()), "pck_cert_chain");
      return new CheckedCollateral(
          rootCrl,
          pckCrl,
          tcbChain,
          qeChain,
          TcbInfo.parse(tree(tcbBody, "tcbInfo")),
          QeIdentity.parse(tree(qeBody, "enclaveIdentity")),
          pckChain);
    } catch (EvidenceFormatException e) {
      throw new Reject(RejectReason.COLLATERAL_INVALID, "collateral " + e.getMessage());
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static JsonNode tree(byte[] body, String what) {
    try {
      JsonNode n = Json.lenient().readTree(body);
      if (n == null || !n.isObject()) {
        throw new EvidenceFormatException(what, -1, "not a JSON object");
      }
      return n;
    } catch (IOException e) {
      throw new EvidenceFormatException(what, -1, "invalid JSON: " + e.getMessage());
    }
  }

  /** Validity of the chains, the root CRL, the TCB info and the QE identity at {@code at}. */
  void checkTime(Instant at, Pki pki) {
    pki.checkCrl(rootCrl, pki.anchor(), at, "root CA CRL");
    Pki.checkValidity(tcbChain, at, "TCB info issuer");
    Pki.checkValidity(qeChain, at, "QE identity issuer");
    Pki.checkNotRevoked(rootCrl, tcbChain.get(0), "TCB info issuer");
    Pki.checkNotRevoked(rootCrl, qeChain.get(0), "QE identity issuer");
    window(tcbInfo.issueDate(), tcbInfo.nextUpdate(), at, "TCB info");
    window(qeIdentity.issueDate(), qeIdentity.nextUpdate(), at, "QE identity");
  }

  private static void window(Instant issued, Instant next, Instant at, String what) {
    if (at.isBefore(issued) || at.isAfter(next)) {
      throw new Reject(
          RejectReason.COLLATERAL_EXPIRED,
          what + " is not valid at " + at + " (issued " + issued + ", next update " + next + ")");
    }
  }
}
