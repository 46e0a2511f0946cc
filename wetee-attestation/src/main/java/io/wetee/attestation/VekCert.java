package io.wetee.attestation;

import java.io.IOException;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;

/**
 * The AMD extensions of a VCEK or VLEK certificate.
 *
 * <p>Design notes: AMD "Versioned Chip Endorsement Key (VCEK) Certificate and KDS Interface
 * Specification" (57230) section 3: OIDs under 1.3.6.1.4.1.3704.1: structVersion (.1), productName
 * (.2), TCB SPLs blSPL (.3.1), teeSPL (.3.2), snpSPL (.3.3), ucodeSPL (.3.8) and, for Turin, fmcSPL
 * (.3.9); hwID (.4, VCEK only) is the chip id, stored raw or as a DER OCTET STRING. The expected
 * reported TCB is assembled from the SPLs in the product's TCB_VERSION layout: Milan and Genoa
 * bytes [bl, tee, 0, 0, 0, 0, snp, ucode], Turin [fmc, bl, tee, snp, 0, 0, 0, ucode].
 */
@SuppressWarnings("ArrayRecordComponent") // internal value; arrays are never shared out
record VekCert(
    X509Certificate cert,
    String productName,
    int bl,
    int tee,
    int snp,
    int ucode,
    int fmc,
    byte[] hwId) {

  private static final String AMD = "1.3.6.1.4.1.3704.1.";

  static VekCert of(X509Certificate c) {
    try {
      String product = ia5(c, AMD + "2");
      byte[] hw = c.getExtensionValue(AMD + "4");
      return new VekCert(
          c,
          product,
          spl(c, "3.1"),
          spl(c, "3.2"),
          spl(c, "3.3"),
          spl(c, "3.8"),
          c.getExtensionValue(AMD + "3.9") == null ? 0 : spl(c, "3.9"),
          hw == null ? new byte[0] : hwId(ASN1OctetString.getInstance(hw).getOctets()));
    } catch (IOException | RuntimeException e) {
      throw new EvidenceFormatException("vek.extensions", -1, e.toString());
    }
  }

  private static int spl(X509Certificate c, String oid) throws IOException {
    byte[] v = c.getExtensionValue(AMD + oid);
    if (v == null) {
      throw new EvidenceFormatException("vek." + oid, -1, "missing TCB extension");
    }
    ASN1Primitive p = ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(v).getOctets());
    java.math.BigInteger b = ASN1Integer.getInstance(p).getValue();
    if (b.signum() < 0 || b.bitLength() > 8) {
      throw new EvidenceFormatException("vek." + oid, -1, "SPL out of range " + b);
    }
    return b.intValue();
  }

  private static String ia5(X509Certificate c, String oid) throws IOException {
    byte[] v = c.getExtensionValue(oid);
    if (v == null) {
      return "";
    }
    ASN1Primitive p = ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(v).getOctets());
    return ASN1IA5String.getInstance(p).getString();
  }

  /** hwID is either the raw bytes or a DER OCTET STRING around them. */
  private static byte[] hwId(byte[] ext) {
    if (ext.length > 2 && ext[0] == 0x04 && (ext[1] & 0xff) == ext.length - 2) {
      return java.util.Arrays.copyOfRange(ext, 2, ext.length);
    }
    return ext;
  }

  boolean turin() {
    return productName.startsWith("Turin");
  }

  /** The REPORTED_TCB value (little-endian u64) this certificate was issued for. */
  long expectedTcb() {
    long[] bytes =
        turin()
            ? new long[] {fmc, bl, tee, snp, 0, 0, 0, ucode}
            : new long[] {bl, tee, 0, 0, 0, 0, snp, ucode};
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v |= bytes[i] << (8 * i);
    }
    return v;
  }
}
