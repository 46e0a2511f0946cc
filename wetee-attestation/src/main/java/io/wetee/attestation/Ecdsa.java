package io.wetee.attestation;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;

/**
 * ECDSA verification over raw (r || s) signatures, and raw P-256 public keys.
 *
 * <p>Design notes: SEC 1 v2 section 4.1.4 (verification) and 2.3.4 (point decoding, including the
 * on-curve check that the JDK's key factory leaves to us). DCAP uses P-256/SHA-256 with r and s
 * big-endian 32 bytes each (Intel "SGX ECDSA Quote Library API" A.3.8); SEV-SNP uses P-384/SHA-384.
 * Signature engines are per thread: {@link Signature} is not thread-safe.
 */
final class Ecdsa {
  private static final ThreadLocal<Signature> P256 = engine("SHA256withECDSAinP1363Format");
  private static final ThreadLocal<Signature> P384 = engine("SHA384withECDSAinP1363Format");
  private static final BigInteger P256_P =
      new BigInteger("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff", 16);
  private static final BigInteger P256_B =
      new BigInteger("5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b", 16);
  private static final BigInteger THREE = BigInteger.valueOf(3);

  private Ecdsa() {}

  private static ThreadLocal<Signature> engine(String alg) {
    return ThreadLocal.withInitial(
        () -> {
          try {
            return Signature.getInstance(alg);
          } catch (GeneralSecurityException e) {
            throw new AttestationException("missing signature algorithm " + alg, e);
          }
        });
  }

  private static final ECParameterSpec P256_PARAMS = p256Params();

  private static ECParameterSpec p256Params() {
    try {
      java.security.AlgorithmParameters ap = java.security.AlgorithmParameters.getInstance("EC");
      ap.init(new java.security.spec.ECGenParameterSpec("secp256r1"));
      return ap.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new AttestationException("no secp256r1 support", e);
    }
  }

  /** Decodes a raw 64-byte P-256 public key (X || Y), rejecting points not on the curve. */
  static PublicKey p256Key(byte[] xy) throws GeneralSecurityException {
    ECParameterSpec params = P256_PARAMS;
    BigInteger x = new BigInteger(1, java.util.Arrays.copyOfRange(xy, 0, 32));
    BigInteger y = new BigInteger(1, java.util.Arrays.copyOfRange(xy, 32, 64));
    BigInteger rhs = x.pow(3).subtract(x.multiply(THREE)).add(P256_B).mod(P256_P);
    if (x.compareTo(P256_P) >= 0 || y.compareTo(P256_P) >= 0 || !y.pow(2).mod(P256_P).equals(rhs)) {
      throw new GeneralSecurityException("point not on curve P-256");
    }
    return KeyFactory.getInstance("EC")
        .generatePublic(new ECPublicKeySpec(new ECPoint(x, y), params));
  }

  static boolean verifyP256(PublicKey key, byte[] message, byte[] rs) {
    return verify(P256.get(), key, message, rs);
  }

  static boolean verifyP384(PublicKey key, byte[] message, byte[] rs) {
    return verify(P384.get(), key, message, rs);
  }

  private static boolean verify(Signature sig, PublicKey key, byte[] message, byte[] rs) {
    try {
      sig.initVerify(key);
      sig.update(message);
      return sig.verify(rs);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }
}
