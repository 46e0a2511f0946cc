package io.wetee.attestation;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.math.ec.ECPoint;

/**
 * ECDSA verification over raw (r || s) signatures, for P-256 (DCAP) and P-384 (SEV-SNP).
 *
 * <p>Design notes: SEC 1 v2 section 4.1.4 (verification, with r and s in [1, n-1]) and 2.3.4 (point
 * decoding, with the on-curve check). DCAP uses P-256/SHA-256 with r and s big-endian 32 bytes each
 * (Intel "SGX ECDSA Quote Library API" A.3.8); SEV-SNP uses P-384/SHA-384. Implemented with
 * BouncyCastle's lightweight API over its custom curve arithmetic: several times faster than the
 * JDK's generic provider, which matters because every quote costs two verifications. Stateless and
 * thread-safe.
 */
final class Ecdsa {
  private static final X9ECParameters P256 = CustomNamedCurves.getByName("secp256r1");
  private static final X9ECParameters P384 = CustomNamedCurves.getByName("secp384r1");
  private static final ECDomainParameters P256_DOMAIN = domain(P256);
  private static final ECDomainParameters P384_DOMAIN = domain(P384);

  private static final BoundedCache<PublicKey, java.util.Optional<Key>> KEYS =
      new BoundedCache<>(1024);

  private Ecdsa() {}

  private static ECDomainParameters domain(X9ECParameters x9) {
    return new ECDomainParameters(x9.getCurve(), x9.getG(), x9.getN(), x9.getH());
  }

  /** A verification key: a validated point on P-256 or P-384. */
  record Key(ECPublicKeyParameters params) {}

  /** Decodes a raw 64-byte P-256 public key (X || Y); empty when not a point on the curve. */
  static java.util.Optional<Key> p256(byte[] xy) {
    return point(
        P256_DOMAIN,
        new BigInteger(1, Arrays.copyOfRange(xy, 0, 32)),
        new BigInteger(1, Arrays.copyOfRange(xy, 32, 64)));
  }

  /** Converts a JDK EC public key (from a certificate); memoised, certificates recur. */
  static java.util.Optional<Key> of(PublicKey key) {
    return KEYS.get(key, Ecdsa::convert);
  }

  private static java.util.Optional<Key> convert(PublicKey key) {
    if (!(key instanceof ECPublicKey ec)) {
      return java.util.Optional.empty();
    }
    int bits = ec.getParams().getCurve().getField().getFieldSize();
    ECDomainParameters d = bits == 256 ? P256_DOMAIN : bits == 384 ? P384_DOMAIN : null;
    if (d == null) {
      return java.util.Optional.empty();
    }
    return point(d, ec.getW().getAffineX(), ec.getW().getAffineY());
  }

  private static java.util.Optional<Key> point(ECDomainParameters d, BigInteger x, BigInteger y) {
    try {
      ECPoint p = d.getCurve().createPoint(x, y);
      if (p.isInfinity() || !p.isValid()) {
        return java.util.Optional.empty();
      }
      return java.util.Optional.of(new Key(new ECPublicKeyParameters(p, d)));
    } catch (IllegalArgumentException e) {
      return java.util.Optional.empty();
    }
  }

  static boolean verifyP256(PublicKey key, byte[] message, byte[] rs) {
    return of(key).map(k -> verify(k, "SHA-256", message, rs, 32)).orElse(false);
  }

  static boolean verifyP256(Key key, byte[] message, byte[] rs) {
    return verify(key, "SHA-256", message, rs, 32);
  }

  static boolean verifyP384(PublicKey key, byte[] message, byte[] rs) {
    return of(key).map(k -> verify(k, "SHA-384", message, rs, 48)).orElse(false);
  }

  private static boolean verify(Key key, String hash, byte[] message, byte[] rs, int len) {
    if (rs.length != 2 * len || key.params().getParameters().getN().bitLength() != len * 8) {
      return false;
    }
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(rs, 0, len));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(rs, len, 2 * len));
    ECDSASigner v = new ECDSASigner();
    v.init(false, key.params());
    return v.verifySignature(digest(hash, message), r, s);
  }

  private static byte[] digest(String alg, byte[] message) {
    try {
      return MessageDigest.getInstance(alg).digest(message);
    } catch (NoSuchAlgorithmException e) {
      throw new AttestationException("no " + alg, e);
    }
  }
}
