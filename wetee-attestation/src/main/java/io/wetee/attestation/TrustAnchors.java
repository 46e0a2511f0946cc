package io.wetee.attestation;

import java.io.IOException;
import java.io.InputStream;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * The vendors' roots shipped with the module: the Intel SGX Root CA (SHA-256 fingerprint
 * 44a0196b2b99f889b8e149e95b807a350e7424964399e885a7cbb8ccfab674d3) and the AMD ARKs with their ASK
 * and ASVK for Milan, Genoa and Turin, as served by the AMD KDS {@code cert_chain} endpoints.
 */
public final class TrustAnchors {
  private static final String[] PRODUCTS = {"milan", "genoa", "turin"};

  private TrustAnchors() {}

  /** The production Intel SGX Root CA. */
  public static X509Certificate intelSgxRootCa() {
    return Certs.parseDer(resource("Intel_SGX_Root_CA.der"), "Intel_SGX_Root_CA.der");
  }

  /** The AMD root keys (ARK) of Milan, Genoa and Turin. */
  public static List<X509Certificate> amdArks() {
    List<X509Certificate> out = new ArrayList<>();
    for (String p : PRODUCTS) {
      out.add(Certs.parsePemChain(resource("ask_ark_" + p + ".pem"), p).get(1));
    }
    return List.copyOf(out);
  }

  /** The AMD signing keys (ASK, for VCEKs) and VLEK signing keys (ASVK). */
  public static List<X509Certificate> amdCaCerts() {
    List<X509Certificate> out = new ArrayList<>();
    for (String p : PRODUCTS) {
      out.add(Certs.parsePemChain(resource("ask_ark_" + p + ".pem"), p).get(0));
      out.add(Certs.parsePemChain(resource("asvk_ark_" + p + ".pem"), p).get(0));
    }
    return List.copyOf(out);
  }

  /** Reads a PEM or DER certificate file (DER if it does not start with a PEM header). */
  public static List<X509Certificate> read(byte[] pemOrDer) {
    String head =
        new String(
            pemOrDer, 0, Math.min(16, pemOrDer.length), java.nio.charset.StandardCharsets.US_ASCII);
    try {
      return head.startsWith("-----") || head.isBlank()
          ? Certs.parsePemChain(pemOrDer, "certificate file")
          : List.of(Certs.parseDer(pemOrDer, "certificate file"));
    } catch (EvidenceFormatException e) {
      throw new AttestationException("unreadable certificate: " + e.getMessage(), e);
    }
  }

  private static byte[] resource(String name) {
    try (InputStream in = TrustAnchors.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new AttestationException("missing resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new AttestationException("cannot read resource " + name, e);
    }
  }
}
