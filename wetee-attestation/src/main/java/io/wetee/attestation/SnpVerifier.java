package io.wetee.attestation;

import io.wetee.attestation.spi.VekRequest;
import io.wetee.attestation.spi.VekSource;
import io.wetee.common.Hex;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Verifies AMD SEV-SNP attestation reports.
 *
 * <p>Design notes: AMD SEV-SNP ABI (56860) section 7.3 and the VCEK/KDS specification (57230): (1)
 * parse the report; (2) obtain the VCEK or VLEK named by key_info; (3) chain VEK -> ASK (VCEK) or
 * ASVK (VLEK) -> ARK, each RSASSA-PSS SHA-384, the ARK pinned and self-signed, all valid at the
 * verification time; the product (Milan, Genoa, Turin) is the one of the ARK the chain ends at; (4)
 * REPORTED_TCB equals the TCB in the VEK's SPL extensions; (5) for a VCEK, hwID equals chip_id; (6)
 * the report's ECDSA P-384 signature (r and s little-endian) over bytes 0..0x29F by the VEK. (4)
 * and (5) come before (6) so that a changed TCB is named as such.
 */
final class SnpVerifier {
  private final List<X509Certificate> arks;
  private final List<X509Certificate> cas;
  private final VekSource source;
  private final Map<X509Certificate, Pki> pkis = new LinkedHashMap<>();
  private final BoundedCache<ByteBuffer, VekCert> veks = new BoundedCache<>(1024);
  private final BoundedCache<ChainKey, List<X509Certificate>> chains = new BoundedCache<>(1024);

  SnpVerifier(List<X509Certificate> arks, List<X509Certificate> cas, VekSource source) {
    this.arks = List.copyOf(arks);
    this.cas = List.copyOf(cas);
    this.source = source;
    for (X509Certificate ark : this.arks) {
      Pki pki = new Pki(ark);
      if (!pki.signedBy(ark, ark.getPublicKey())) {
        throw new AttestationException(
            "AMD ARK '" + Certs.commonName(ark) + "' is not self-signed");
      }
      pkis.put(ark, pki);
    }
  }

  Verified verify(byte[] bytes, Instant at) {
    SnpReport r;
    try {
      r = SnpReport.parse(bytes);
    } catch (EvidenceFormatException e) {
      throw new Reject(
          e.field().equals("version")
              ? RejectReason.UNSUPPORTED_EVIDENCE
              : RejectReason.MALFORMED_EVIDENCE,
          "SEV-SNP report " + e.getMessage());
    }
    if (r.signatureAlgo() != 1 || r.signingKey() > 1) {
      throw new Reject(
          RejectReason.UNSUPPORTED_EVIDENCE,
          "signature algorithm " + r.signatureAlgo() + ", signing key " + r.signingKey());
    }
    boolean vlek = r.signingKey() == 1;
    byte[] der =
        source
            .vek(new VekRequest(vlek, Hex.encode(r.chipId()), r.reportedTcb(), r.product()))
            .orElseThrow(
                () ->
                    new Reject(
                        RejectReason.COLLATERAL_MISSING, (vlek ? "VLEK" : "VCEK") + " missing"));
    VekCert vek = vekOf(der);
    String product = verifyChain(vek, vlek, at);
    byte[] sig = r.p1363Signature();
    boolean sigOk = sig.length > 0 && Ecdsa.verifyP384(vek.cert().getPublicKey(), r.signed(), sig);
    boolean chipOk = vlek || r.maskChipKey() || chipMatches(r.chipId(), vek.hwId());
    if (!sigOk && !chipOk) {
      throw new Reject(
          RejectReason.REPORT_SIGNATURE_INVALID,
          "report signature does not verify: the VCEK is for another chip (hwID != chip_id)");
    }
    long want = vek.expectedTcb();
    if (r.reportedTcb() != want) {
      throw new Reject(
          RejectReason.TCB_MISMATCH,
          String.format(
              "reported TCB %016x differs from the VEK's %016x: %s",
              r.reportedTcb(), want, tcbDiff(r.reportedTcb(), want, vek.turin())));
    }
    if (!chipOk) {
      throw new Reject(RejectReason.CHIP_ID_MISMATCH, "chip_id differs from the VCEK's hwID");
    }
    if (!sigOk) {
      throw new Reject(RejectReason.REPORT_SIGNATURE_INVALID, "report signature by the VEK");
    }
    return result(r, product);
  }

  VekCert vekOf(byte[] der) {
    try {
      return veks.get(ByteBuffer.wrap(der.clone()), b -> VekCert.of(Certs.parseDer(der, "vek")));
    } catch (EvidenceFormatException e) {
      throw new Reject(
          RejectReason.CERT_CHAIN_INVALID, "VEK certificate unreadable: " + e.getMessage());
    }
  }

  /** Verifies VEK -> ASK/ASVK -> ARK at {@code at}; returns the product name of the ARK. */
  String verifyChain(VekCert vek, boolean vlek, Instant at) {
    List<X509Certificate> chain =
        chains.get(new ChainKey(vek.cert(), vlek), k -> findChain(vek, vlek));
    Pki.checkValidity(chain, at, "AMD");
    return Certs.commonName(chain.get(2)).replace("ARK-", "");
  }

  private record ChainKey(X509Certificate vek, boolean vlek) {}

  /** The signature-verified chain [VEK, ASK or ASVK, ARK]; time-independent, so memoised. */
  private List<X509Certificate> findChain(VekCert vek, boolean vlek) {
    X509Certificate c = vek.cert();
    for (X509Certificate ca : cas) {
      if (!ca.getSubjectX500Principal().equals(c.getIssuerX500Principal())
          || Certs.commonName(ca).contains("VLEK") != vlek) {
        continue;
      }
      for (Map.Entry<X509Certificate, Pki> e : pkis.entrySet()) {
        if (!e.getKey().getSubjectX500Principal().equals(ca.getIssuerX500Principal())) {
          continue;
        }
        try {
          e.getValue().verifyChain(List.of(c, ca), vlek ? "VLEK" : "VCEK");
          return List.of(c, ca, e.getKey());
        } catch (Reject r) {
          // Try the next candidate; none left means the chain is invalid.
        }
      }
    }
    throw new Reject(
        RejectReason.CERT_CHAIN_INVALID,
        (vlek ? "VLEK" : "VCEK")
            + " '"
            + Certs.commonName(c)
            + "' issued by '"
            + c.getIssuerX500Principal().getName()
            + "' does not chain to a pinned AMD ARK");
  }

  private static boolean chipMatches(byte[] chip, byte[] hw) {
    if (hw.length == 0 || hw.length > 64) {
      return false;
    }
    for (int i = 0; i < 64; i++) {
      if (chip[i] != (i < hw.length ? hw[i] : 0)) {
        return false;
      }
    }
    return true;
  }

  private static String tcbDiff(long got, long want, boolean turin) {
    String[] names =
        turin
            ? new String[] {"FMC", "boot loader", "TEE", "SNP", "", "", "", "microcode"}
            : new String[] {"boot loader", "TEE", "", "", "", "", "SNP", "microcode"};
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      long a = (got >>> (8 * i)) & 0xff;
      long b = (want >>> (8 * i)) & 0xff;
      if (a != b) {
        sb.append(names[i].isEmpty() ? "reserved" : names[i])
            .append(" version mismatch ")
            .append(a)
            .append(" != ")
            .append(b)
            .append("; ");
      }
    }
    return sb.toString().strip();
  }

  private static Verified result(SnpReport r, String product) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("measurement", Hex.encode(r.measurement()));
    m.put("hostData", Hex.encode(r.hostData()));
    m.put("familyId", Hex.encode(r.familyId()));
    m.put("imageId", Hex.encode(r.imageId()));
    m.put("idKeyDigest", Hex.encode(r.idKeyDigest()));
    m.put("authorKeyDigest", Hex.encode(r.authorKeyDigest()));
    m.put("guestSvn", Long.toString(r.guestSvn()));
    m.put("policy", String.format("%x", r.policy()));
    m.put("vmpl", Long.toString(r.vmpl()));
    m.put("reportedTcb", String.format("%016x", r.reportedTcb()));
    m.put("product", product);
    return new Verified(
        TeeType.SEV_SNP,
        r.version(),
        TcbStatus.UpToDate,
        List.of(),
        Optional.empty(),
        Optional.empty(),
        r.debug(),
        m,
        r.reportData(),
        r.chipId());
  }
}
