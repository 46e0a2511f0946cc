package io.wetee.attestation;

import com.fasterxml.jackson.databind.JsonNode;
import io.wetee.common.Hex;
import io.wetee.common.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The collateral that a DCAP quote is verified against: CRLs, TCB info, QE identity, their
 * signatures and issuer chains, and (for certification data types 1 to 3) the PCK certificate with
 * its issuer chain. Immutable and thread-safe; the verifier caches the parsed and signature-checked
 * form per instance, so reuse one instance for many quotes.
 *
 * <p>Design notes: the fields are those of Intel's {@code sgx_ql_qve_collateral_t} (and of
 * dcap-qvl's {@code QuoteCollateralV3}); the TCB info and QE identity bodies are kept as the exact
 * signed bytes.
 */
public final class DcapCollateral {
  private final String pckCrlIssuerChain;
  private final byte[] rootCaCrl;
  private final byte[] pckCrl;
  private final String tcbInfoIssuerChain;
  private final byte[] tcbInfo;
  private final byte[] tcbInfoSignature;
  private final String qeIdentityIssuerChain;
  private final byte[] qeIdentity;
  private final byte[] qeIdentitySignature;
  private final String pckCertChain;

  /**
   * @param pckCrlIssuerChain PEM chain of the PCK CRL issuer (informational: the CRL is checked
   *     against the quote's own PCK issuer)
   * @param rootCaCrl DER of the root CA CRL
   * @param pckCrl DER of the PCK (Platform or Processor) CA CRL
   * @param tcbInfoIssuerChain PEM chain of the TCB signing certificate
   * @param tcbInfo exact signed bytes of the TCB info JSON object
   * @param tcbInfoSignature raw r || s (64 bytes)
   * @param qeIdentityIssuerChain PEM chain of the QE identity signer
   * @param qeIdentity exact signed bytes of the enclave identity JSON object
   * @param qeIdentitySignature raw r || s (64 bytes)
   * @param pckCertChain PEM of the PCK certificate followed by its issuers, or "" when the quote
   *     carries its own chain (type 5)
   */
  public DcapCollateral(
      String pckCrlIssuerChain,
      byte[] rootCaCrl,
      byte[] pckCrl,
      String tcbInfoIssuerChain,
      byte[] tcbInfo,
      byte[] tcbInfoSignature,
      String qeIdentityIssuerChain,
      byte[] qeIdentity,
      byte[] qeIdentitySignature,
      String pckCertChain) {
    this.pckCrlIssuerChain = pckCrlIssuerChain;
    this.rootCaCrl = rootCaCrl.clone();
    this.pckCrl = pckCrl.clone();
    this.tcbInfoIssuerChain = tcbInfoIssuerChain;
    this.tcbInfo = tcbInfo.clone();
    this.tcbInfoSignature = tcbInfoSignature.clone();
    this.qeIdentityIssuerChain = qeIdentityIssuerChain;
    this.qeIdentity = qeIdentity.clone();
    this.qeIdentitySignature = qeIdentitySignature.clone();
    this.pckCertChain = pckCertChain;
  }

  /**
   * Reads dcap-qvl's flattened {@code QuoteCollateralV3} JSON: PEM chains, hex DER CRLs, the TCB
   * info and QE identity as the exact signed JSON strings, signatures as hex r || s.
   *
   * @throws EvidenceFormatException naming the missing or malformed field
   */
  public static DcapCollateral fromDcapQvlJson(byte[] json) {
    JsonNode n;
    try {
      n = Json.lenient().readTree(json);
    } catch (IOException e) {
      throw new EvidenceFormatException("collateral", -1, "invalid JSON: " + e.getMessage());
    }
    if (n == null || !n.isObject()) {
      throw new EvidenceFormatException("collateral", -1, "not a JSON object");
    }
    try {
      return new DcapCollateral(
          JsonFields.text(n, "pck_crl_issuer_chain", "collateral"),
          Hex.decode(JsonFields.text(n, "root_ca_crl", "collateral")),
          Hex.decode(JsonFields.text(n, "pck_crl", "collateral")),
          JsonFields.text(n, "tcb_info_issuer_chain", "collateral"),
          utf8(JsonFields.text(n, "tcb_info", "collateral")),
          Hex.decode(JsonFields.text(n, "tcb_info_signature", "collateral")),
          JsonFields.text(n, "qe_identity_issuer_chain", "collateral"),
          utf8(JsonFields.text(n, "qe_identity", "collateral")),
          Hex.decode(JsonFields.text(n, "qe_identity_signature", "collateral")),
          n.path("pck_cert_chain").asText(""));
    } catch (IllegalArgumentException e) {
      throw new EvidenceFormatException("collateral", -1, "bad hex: " + e.getMessage());
    }
  }

  /**
   * This collateral in dcap-qvl's {@code QuoteCollateralV3} JSON form (the on-disk cache format),
   * with an extra {@code pck_cert_chain} member when a PCK certificate is attached.
   */
  public byte[] toDcapQvlJson() {
    com.fasterxml.jackson.databind.node.ObjectNode n = Json.lenient().createObjectNode();
    n.put("pck_crl_issuer_chain", pckCrlIssuerChain);
    n.put("root_ca_crl", Hex.encode(rootCaCrl));
    n.put("pck_crl", Hex.encode(pckCrl));
    n.put("tcb_info_issuer_chain", tcbInfoIssuerChain);
    n.put("tcb_info", new String(tcbInfo, StandardCharsets.UTF_8));
    n.put("tcb_info_signature", Hex.encode(tcbInfoSignature));
    n.put("qe_identity_issuer_chain", qeIdentityIssuerChain);
    n.put("qe_identity", new String(qeIdentity, StandardCharsets.UTF_8));
    n.put("qe_identity_signature", Hex.encode(qeIdentitySignature));
    if (!pckCertChain.isEmpty()) {
      n.put("pck_cert_chain", pckCertChain);
    }
    try {
      return Json.lenient().writeValueAsBytes(n);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new AttestationException("cannot serialise collateral", e);
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A copy with the PCK certificate chain (for quotes with certification data types 1 to 3). */
  public DcapCollateral withPckCertChain(String pem) {
    return new DcapCollateral(
        pckCrlIssuerChain,
        rootCaCrl,
        pckCrl,
        tcbInfoIssuerChain,
        tcbInfo,
        tcbInfoSignature,
        qeIdentityIssuerChain,
        qeIdentity,
        qeIdentitySignature,
        pem);
  }

  public String pckCrlIssuerChain() {
    return pckCrlIssuerChain;
  }

  public byte[] rootCaCrl() {
    return rootCaCrl.clone();
  }

  public byte[] pckCrl() {
    return pckCrl.clone();
  }

  public String tcbInfoIssuerChain() {
    return tcbInfoIssuerChain;
  }

  public byte[] tcbInfo() {
    return tcbInfo.clone();
  }

  public byte[] tcbInfoSignature() {
    return tcbInfoSignature.clone();
  }

  public String qeIdentityIssuerChain() {
    return qeIdentityIssuerChain;
  }

  public byte[] qeIdentity() {
    return qeIdentity.clone();
  }

  public byte[] qeIdentitySignature() {
    return qeIdentitySignature.clone();
  }

  public String pckCertChain() {
    return pckCertChain;
  }
}
