package io.wetee.attestation;

import io.wetee.attestation.spi.CollateralRequest;
import io.wetee.attestation.spi.CollateralSource;
import io.wetee.common.Hex;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Verifies SGX and TDX DCAP quotes.
 *
 * <p>Design notes: the order of checks follows Intel QVL {@code QuoteVerifier::verify} and the "SGX
 * ECDSA Quote Library API" / "TDX DCAP Quoting Library API" verification steps: (1) parse; (2)
 * collateral for the PCK's FMSPC and CA, time-independent checks memoised per collateral instance,
 * then its validity at the verification time; (3) PCK chain to the pinned root, validity, root CRL
 * and PCK CRL; (4) QE report signature by the PCK key; (5) QE report data = SHA-256(attestation key
 * || QE authentication data) || 32 zero bytes; (6) quote signature by the attestation key over
 * header and body; (7) QE identity and TCB level evaluation ({@link TcbEvaluator}).
 */
final class DcapVerifier {
  private static final byte[] INTEL_QE_VENDOR = Hex.decode("939a7233f79c4ca9940a0db3957f0607");

  private final Pki pki;
  private final CollateralSource collateral;
  private final BoundedCache<DcapCollateral, CheckedCollateral> checked = new BoundedCache<>(256);
  private final BoundedCache<ByteBuffer, List<X509Certificate>> chains = new BoundedCache<>(1024);
  private final BoundedCache<X509Certificate, PckCert> pcks = new BoundedCache<>(1024);
  private final BoundedCache<QeKey, Boolean> qeReports = new BoundedCache<>(4096);

  /** A QE report signature check; deterministic, and the same for all quotes of a platform. */
  private record QeKey(PublicKey pck, ByteBuffer report, ByteBuffer signature) {}

  DcapVerifier(X509Certificate intelRoot, CollateralSource collateral) {
    this.pki = new Pki(intelRoot);
    this.collateral = collateral;
  }

  Verified verify(byte[] bytes, Instant at) {
    DcapQuote q = parse(bytes);
    TeeType tee = q.isTdx() ? TeeType.TDX : TeeType.SGX;
    if (!Arrays.equals(q.qeVendorId(), INTEL_QE_VENDOR)) {
      throw new Reject(RejectReason.UNSUPPORTED_EVIDENCE, "QE vendor is not Intel");
    }
    List<X509Certificate> chain = quoteChain(q);
    PckCert pck = chain.isEmpty() ? null : pckOf(chain);
    CollateralRequest req =
        new CollateralRequest(
            tee,
            pck == null ? "" : Hex.encode(pck.fmspc()).toUpperCase(Locale.ROOT),
            pck == null ? "" : caType(chain));
    DcapCollateral coll =
        collateral
            .collateral(req)
            .orElseThrow(
                () -> new Reject(RejectReason.COLLATERAL_MISSING, "no collateral for " + req));
    CheckedCollateral cc = checked.get(coll, c -> CheckedCollateral.check(c, pki));
    if (chain.isEmpty()) {
      chain = cc.pckChain();
      if (chain.isEmpty()) {
        throw new Reject(
            RejectReason.COLLATERAL_MISSING,
            "certification data type " + q.certDataType() + " needs a PCK certificate");
      }
      pck = pckOf(chain);
    }
    cc.checkTime(at, pki);
    checkPckChain(chain, cc, at);
    checkSignatures(q, chain.get(0).getPublicKey());
    TcbEvaluator.Result tcb = TcbEvaluator.evaluate(q, pck, cc.tcbInfo(), cc.qeIdentity());
    return DcapResults.verified(q, tee, pck, tcb);
  }

  /**
   * Signatures and PCK chain only, without collateral or revocation (go-tdx-guest's "verify without
   * collateral"): for tests and diagnostics, never for a verdict.
   */
  DcapQuote verifySignaturesOnly(byte[] bytes, Instant at) {
    DcapQuote q = parse(bytes);
    List<X509Certificate> chain = quoteChain(q);
    if (chain.isEmpty()) {
      throw new Reject(RejectReason.COLLATERAL_MISSING, "quote carries no PCK chain");
    }
    pckOf(chain);
    pki.verifyChain(chain, "PCK");
    Pki.checkValidity(chain, at, "PCK");
    checkSignatures(q, chain.get(0).getPublicKey());
    return q;
  }

  static DcapQuote parse(byte[] bytes) {
    try {
      return DcapQuote.parse(bytes);
    } catch (EvidenceFormatException e) {
      throw new Reject(
          e.field().startsWith("header.") && e.getMessage().contains("unsupported")
              ? RejectReason.UNSUPPORTED_EVIDENCE
              : RejectReason.MALFORMED_EVIDENCE,
          "quote " + e.getMessage());
    }
  }

  List<X509Certificate> quoteChain(DcapQuote q) {
    return switch (q.certDataType()) {
      case 5 -> {
        try {
          yield chains.get(
              ByteBuffer.wrap(q.certData()),
              b -> Certs.parsePemChain(q.certData(), "cert_data (PCK chain)"));
        } catch (EvidenceFormatException e) {
          throw new Reject(RejectReason.MALFORMED_EVIDENCE, "quote " + e.getMessage());
        }
      }
      case 1, 2, 3 -> List.of();
      default ->
          throw new Reject(
              RejectReason.UNSUPPORTED_EVIDENCE, "certification data type " + q.certDataType());
    };
  }

  private PckCert pckOf(List<X509Certificate> chain) {
    if (chain.size() < 2) {
      throw new Reject(RejectReason.CERT_CHAIN_INVALID, "PCK chain has no issuer");
    }
    try {
      return pcks.get(chain.get(0), PckCert::of);
    } catch (EvidenceFormatException e) {
      throw new Reject(RejectReason.MALFORMED_EVIDENCE, e.getMessage());
    }
  }

  private static String caType(List<X509Certificate> chain) {
    String cn = Certs.commonName(chain.get(1));
    return cn.contains("Processor") ? "processor" : cn.contains("Platform") ? "platform" : "";
  }

  private void checkPckChain(List<X509Certificate> chain, CheckedCollateral cc, Instant at) {
    pki.verifyChain(chain, "PCK");
    Pki.checkValidity(chain, at, "PCK");
    X509Certificate leaf = chain.get(0);
    X509Certificate ca = chain.get(1);
    Pki.checkNotRevoked(cc.rootCrl(), ca, "PCK CA");
    pki.checkCrl(cc.pckCrl(), ca, at, "PCK CRL");
    Pki.checkNotRevoked(cc.pckCrl(), leaf, "PCK");
  }

  private void checkSignatures(DcapQuote q, PublicKey pckKey) {
    QeKey k =
        new QeKey(
            pckKey, ByteBuffer.wrap(q.qeReport().raw()), ByteBuffer.wrap(q.qeReportSignature()));
    if (!qeReports.get(
        k, x -> Ecdsa.verifyP256(pckKey, q.qeReport().raw(), q.qeReportSignature()))) {
      throw new Reject(
          RejectReason.QE_REPORT_SIGNATURE_INVALID, "QE report signature by the PCK key");
    }
    byte[] expected = new byte[64];
    System.arraycopy(sha256(q.attestationKey(), q.qeAuthData()), 0, expected, 0, 32);
    if (!MessageDigest.isEqual(expected, q.qeReport().reportData())) {
      throw new Reject(
          RejectReason.QE_REPORT_DATA_MISMATCH,
          "QE report data is not SHA-256(attestation key || QE authentication data)");
    }
    Ecdsa.Key attKey =
        Ecdsa.p256(q.attestationKey())
            .orElseThrow(
                () ->
                    new Reject(
                        RejectReason.QUOTE_SIGNATURE_INVALID,
                        "attestation key is not a point on P-256"));
    if (!Ecdsa.verifyP256(attKey, q.signedBytes(), q.signature())) {
      throw new Reject(
          RejectReason.QUOTE_SIGNATURE_INVALID, "quote signature by the attestation key");
    }
  }

  static byte[] sha256(byte[] a, byte[] b) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(a);
      md.update(b);
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new AttestationException("no SHA-256", e);
    }
  }
}
