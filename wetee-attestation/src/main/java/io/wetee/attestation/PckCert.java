package io.wetee.attestation;

import java.io.IOException;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Enumerated;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;

/**
 * The SGX extensions of a PCK certificate.
 *
 * <p>Design notes: Intel "SGX PCK Certificate and Certificate Revocation List Profile
 * Specification" 1.3.5: extension 1.2.840.113741.1.13.1 is a SEQUENCE of (OID, value) pairs: PPID
 * (.1, 16 bytes), TCB (.2: components .2.1-.2.16, PCESVN .2.17, CPUSVN .2.18), PCE-ID (.3, 2
 * bytes), FMSPC (.4, 6 bytes), SGX type (.5). Missing or mis-sized fields are parse errors.
 */
@SuppressWarnings("ArrayRecordComponent") // internal value; arrays are never shared out
record PckCert(
    X509Certificate cert, byte[] ppid, int[] components, int pceSvn, byte[] pceId, byte[] fmspc) {

  static final String SGX_EXT = "1.2.840.113741.1.13.1";

  static PckCert of(X509Certificate cert) {
    byte[] ext = cert.getExtensionValue(SGX_EXT);
    if (ext == null) {
      throw new EvidenceFormatException("pck_cert.sgx_extensions", -1, "missing");
    }
    try {
      ASN1Sequence seq =
          ASN1Sequence.getInstance(
              ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(ext).getOctets()));
      return fromSequence(cert, seq);
    } catch (IOException | RuntimeException e) {
      if (e instanceof EvidenceFormatException efe) {
        throw efe;
      }
      throw new EvidenceFormatException("pck_cert.sgx_extensions", -1, e.toString());
    }
  }

  private static PckCert fromSequence(X509Certificate cert, ASN1Sequence seq) {
    byte[] ppid = null;
    byte[] pceId = null;
    byte[] fmspc = null;
    int[] comps = null;
    int pceSvn = -1;
    for (ASN1Encodable e : seq) {
      ASN1Sequence pair = ASN1Sequence.getInstance(e);
      String oid = ASN1ObjectIdentifier.getInstance(pair.getObjectAt(0)).getId();
      ASN1Encodable v = pair.getObjectAt(1);
      switch (oid.substring(SGX_EXT.length())) {
        case ".1" -> ppid = octets(v, 16, "ppid");
        case ".3" -> pceId = octets(v, 2, "pceid");
        case ".4" -> fmspc = octets(v, 6, "fmspc");
        case ".2" -> {
          comps = new int[16];
          pceSvn = tcb(ASN1Sequence.getInstance(v), comps);
        }
        default -> {
          // SGX type, platform instance ID and configuration do not enter the verdict.
        }
      }
    }
    if (ppid == null || pceId == null || fmspc == null || comps == null || pceSvn < 0) {
      throw new EvidenceFormatException("pck_cert.sgx_extensions", -1, "incomplete");
    }
    return new PckCert(cert, ppid, comps, pceSvn, pceId, fmspc);
  }

  private static int tcb(ASN1Sequence tcb, int[] comps) {
    int pceSvn = -1;
    boolean[] seen = new boolean[16];
    for (ASN1Encodable e : tcb) {
      ASN1Sequence pair = ASN1Sequence.getInstance(e);
      String oid = ASN1ObjectIdentifier.getInstance(pair.getObjectAt(0)).getId();
      String tail = oid.substring(oid.lastIndexOf('.') + 1);
      if (!oid.startsWith(SGX_EXT + ".2.")) {
        continue;
      }
      int idx = Integer.parseInt(tail);
      if (idx >= 1 && idx <= 16) {
        comps[idx - 1] = small(pair.getObjectAt(1), 255, "sgxtcbcomp" + idx);
        seen[idx - 1] = true;
      } else if (idx == 17) {
        pceSvn = small(pair.getObjectAt(1), 65535, "pcesvn");
      }
    }
    for (boolean s : seen) {
      if (!s) {
        throw new EvidenceFormatException("pck_cert.tcb", -1, "missing TCB component");
      }
    }
    return pceSvn;
  }

  private static int small(ASN1Encodable v, int max, String field) {
    java.math.BigInteger b =
        v instanceof ASN1Enumerated en ? en.getValue() : ASN1Integer.getInstance(v).getValue();
    if (b.signum() < 0 || b.bitLength() > 31 || b.intValue() > max) {
      throw new EvidenceFormatException("pck_cert." + field, -1, "out of range: " + b);
    }
    return b.intValue();
  }

  private static byte[] octets(ASN1Encodable v, int len, String field) {
    byte[] b = ASN1OctetString.getInstance(v).getOctets();
    if (b.length != len) {
      throw new EvidenceFormatException("pck_cert." + field, -1, "length " + b.length);
    }
    return b;
  }
}
