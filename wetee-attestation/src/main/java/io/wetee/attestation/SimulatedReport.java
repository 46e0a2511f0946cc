package io.wetee.attestation;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.math.ec.ECPoint;

/**
 * The SIMULATED evidence format (WeTEE's own; DESIGN.md section 3): a software stand-in for a TEE
 * report, signed by the worker's registered platform key. No security: accepted only when the
 * policy says {@code allowSimulated}.
 *
 * <p>Design notes: binary, little-endian, 209 bytes:
 *
 * <pre>
 * 0    5  magic "WTSIM"
 * 5    1  version (1)
 * 6    1  flags: bit 0 = debug; other bits zero
 * 7    1  reserved, zero
 * 8    8  issued_at, Unix seconds (u64)
 * 16  32  measurement
 * 48  64  report_data
 * 112 33  platform public key, compressed secp256k1 (SEC 1 section 2.3.3)
 * 145 64  signature r || s, big-endian, s <= n/2
 * </pre>
 *
 * The signature is ECDSA over secp256k1 (SEC 1 section 4.1) of SHA-256(bytes 0..144), with
 * deterministic k (RFC 6979) and low s; verification rejects high s.
 */
final class SimulatedReport {
  static final byte[] MAGIC = {'W', 'T', 'S', 'I', 'M'};
  static final int VERSION = 1;
  static final int BODY = 145;
  static final int SIZE = BODY + 64;
  // BouncyCastle's custom secp256k1 (fixed-width field arithmetic, GLV endomorphism): several
  // times faster than the generic BigInteger curve for the verification every release performs.
  static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
  static final ECDomainParameters DOMAIN =
      new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN(), CURVE.getH());
  static final BigInteger HALF_N = CURVE.getN().shiftRight(1);

  private SimulatedReport() {}

  static boolean hasMagic(byte[] b) {
    return b.length >= MAGIC.length && Arrays.equals(b, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
  }

  static byte[] sha256(byte[] b, int len) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(b, 0, len);
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new AttestationException("no SHA-256", e);
    }
  }

  static Verified verify(byte[] b) {
    if (b.length != SIZE) {
      throw new Reject(
          RejectReason.MALFORMED_EVIDENCE,
          "SIMULATED report at offset 0: length " + b.length + ", expected " + SIZE);
    }
    ByteReader in = new ByteReader(b);
    in.skip(MAGIC.length, "magic");
    int version = in.u8("version");
    int flags = in.u8("flags");
    int reserved = in.u8("reserved");
    if (version != VERSION) {
      throw new Reject(RejectReason.UNSUPPORTED_EVIDENCE, "SIMULATED report version " + version);
    }
    if ((flags & ~1) != 0 || reserved != 0) {
      throw new Reject(RejectReason.MALFORMED_EVIDENCE, "SIMULATED report flags at offset 6");
    }
    in.skip(8, "issued_at");
    byte[] measurement = in.bytes(32, "measurement");
    byte[] reportData = in.bytes(64, "report_data");
    byte[] key = in.bytes(33, "platform_key");
    BigInteger r = new BigInteger(1, in.bytes(32, "signature.r"));
    BigInteger s = new BigInteger(1, in.bytes(32, "signature.s"));
    ECPoint q = decodeKey(key);
    if (r.signum() == 0
        || s.signum() == 0
        || r.compareTo(CURVE.getN()) >= 0
        || s.compareTo(HALF_N) > 0) {
      throw new Reject(RejectReason.REPORT_SIGNATURE_INVALID, "SIMULATED signature out of range");
    }
    ECDSASigner v = new ECDSASigner();
    v.init(false, new ECPublicKeyParameters(q, DOMAIN));
    if (!v.verifySignature(sha256(b, BODY), r, s)) {
      throw new Reject(
          RejectReason.REPORT_SIGNATURE_INVALID, "SIMULATED signature by the platform key");
    }
    Map<String, String> m = new LinkedHashMap<>();
    m.put("measurement", io.wetee.common.Hex.encode(measurement));
    return new Verified(
        TeeType.SIMULATED,
        version,
        TcbStatus.UpToDate,
        List.of(),
        Optional.empty(),
        Optional.empty(),
        (flags & 1) != 0,
        m,
        reportData,
        key);
  }

  private static ECPoint decodeKey(byte[] key) {
    if (key[0] != 2 && key[0] != 3) {
      throw new Reject(
          RejectReason.MALFORMED_EVIDENCE, "SIMULATED platform_key at offset 112: not compressed");
    }
    try {
      ECPoint p = CURVE.getCurve().decodePoint(key);
      if (!p.isValid() || p.isInfinity()) {
        throw new IllegalArgumentException("invalid point");
      }
      return p;
    } catch (IllegalArgumentException e) {
      throw new Reject(
          RejectReason.MALFORMED_EVIDENCE,
          "SIMULATED platform_key at offset 112: " + e.getMessage());
    }
  }
}
