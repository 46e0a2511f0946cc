package io.wetee.attestation;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * X.509 and PEM decoding that turns every failure into an {@link EvidenceFormatException}.
 *
 * <p>Design notes: RFC 7468 textual encoding. Quotes' type-5 certification data is a concatenation
 * of PEM blocks, often followed by a NUL byte (Intel "SGX ECDSA Quote Library API" A.3.11 does not
 * require one); NUL and white space after the last block are tolerated, anything else is an error.
 * Certificates and CRLs are decoded with the JDK's X.509 factory.
 */
final class Certs {
  private static final String BEGIN = "-----BEGIN CERTIFICATE-----";
  private static final String END = "-----END CERTIFICATE-----";
  private static final int MAX_CHAIN = 8;
  private static final ThreadLocal<CertificateFactory> FACTORY =
      ThreadLocal.withInitial(Certs::newFactory);

  private Certs() {}

  private static CertificateFactory newFactory() {
    try {
      return CertificateFactory.getInstance("X.509");
    } catch (CertificateException e) {
      throw new AttestationException("no X.509 certificate factory", e);
    }
  }

  static List<X509Certificate> parsePemChain(byte[] pem, String field) {
    String text = new String(pem, StandardCharsets.ISO_8859_1);
    List<X509Certificate> out = new ArrayList<>();
    int pos = 0;
    while (true) {
      int begin = text.indexOf(BEGIN, pos);
      if (begin < 0) {
        requireOnlyPadding(text, pos, field);
        break;
      }
      requireOnlyPadding(text.substring(0, begin), pos, field);
      int end = text.indexOf(END, begin);
      if (end < 0 || out.size() == MAX_CHAIN) {
        throw new EvidenceFormatException(field, begin, "unterminated or excess PEM block");
      }
      byte[] der = base64(text.substring(begin + BEGIN.length(), end), field, begin);
      out.add(parseDer(der, field + "[" + out.size() + "]"));
      pos = end + END.length();
    }
    if (out.isEmpty()) {
      throw new EvidenceFormatException(field, 0, "no PEM certificate");
    }
    return out;
  }

  private static void requireOnlyPadding(String text, int from, String field) {
    for (int i = from; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != 0 && c != '\n' && c != '\r' && c != ' ' && c != '\t') {
        throw new EvidenceFormatException(field, i, "unexpected byte outside PEM blocks");
      }
    }
  }

  private static byte[] base64(String body, String field, int at) {
    StringBuilder sb = new StringBuilder(body.length());
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c != '\n' && c != '\r' && c != ' ' && c != '\t') {
        sb.append(c);
      }
    }
    try {
      return Base64.getDecoder().decode(sb.toString());
    } catch (IllegalArgumentException e) {
      throw new EvidenceFormatException(field, at, "invalid base64: " + e.getMessage());
    }
  }

  static X509Certificate parseDer(byte[] der, String field) {
    try {
      return (X509Certificate) FACTORY.get().generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException | RuntimeException e) {
      throw new EvidenceFormatException(field, -1, "not an X.509 certificate: " + e.getMessage());
    }
  }

  static X509CRL parseCrl(byte[] der, String field) {
    try {
      return (X509CRL) FACTORY.get().generateCRL(new ByteArrayInputStream(der));
    } catch (CRLException | RuntimeException e) {
      throw new EvidenceFormatException(field, -1, "not an X.509 CRL: " + e.getMessage());
    }
  }

  /** The certificate's subject common name, or the whole subject when it has none. */
  static String commonName(X509Certificate c) {
    String dn = c.getSubjectX500Principal().getName();
    for (String part : dn.split(",")) {
      if (part.startsWith("CN=")) {
        return part.substring(3);
      }
    }
    return dn;
  }
}
