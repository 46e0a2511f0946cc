package io.wetee.crypto;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Public-key encryption to a secp256k1 key: ECIES in the style of SEC 1 v2 §5.1, with modern
 * components.
 *
 * <p>Design notes. The sender draws an ephemeral scalar e, sends {@code R = e*G} and computes the
 * shared point {@code S = e*P} (the recipient computes {@code S = d*R}); both by the fixed-sequence
 * multiplications of {@code Curve}. Key and nonce come from HKDF-SHA256 (RFC 5869): {@code okm =
 * HKDF(ikm = x(S) | R, salt = empty, info = "wetee-ecies-v1" | context, L = 44)}, key = okm[0..32),
 * nonce = okm[32..44). R in the key derivation ("DHAES mode", as in ISO 18033-2 ECIES-KEM) ties the
 * key to this ciphertext. The payload is AES-256-GCM with {@code aad = context}. Each message has a
 * fresh e, hence a fresh key, so the derived nonce never repeats under one key. {@code context} is
 * the caller's domain separation: a ciphertext made for one context does not decrypt under another.
 */
public final class Ecies {
  private static final byte[] TAG = "wetee-ecies-v1".getBytes(StandardCharsets.US_ASCII);

  private Ecies() {}

  /**
   * Encrypts {@code plaintext} to {@code recipient}.
   *
   * @throws InvalidInputException with {@link Reason#POINT_AT_INFINITY} for an infinite key
   */
  public static EciesCiphertext encrypt(
      Point recipient, byte[] plaintext, byte[] context, SecureRandom random) {
    if (recipient.isInfinity()) {
      throw new InvalidInputException(Reason.POINT_AT_INFINITY, "recipient key is infinity");
    }
    Scalar e = Scalar.random(random);
    Point r = Point.fromSecret(e);
    byte[] okm = derive(recipient.multiplySecret(e), r, context);
    byte[] body = AesGcm.encrypt(key(okm), nonce(okm), plaintext, context);
    Arrays.fill(okm, (byte) 0);
    return new EciesCiphertext(r, body);
  }

  /**
   * Decrypts with the recipient's private key.
   *
   * @throws InvalidInputException with {@link Reason#AUTHENTICATION_FAILED} if the ciphertext was
   *     not made for this key and context, or was altered
   */
  public static byte[] decrypt(PrivateKey recipient, EciesCiphertext ciphertext, byte[] context) {
    byte[] okm =
        derive(
            ciphertext.ephemeral().multiplySecret(recipient.secret()),
            ciphertext.ephemeral(),
            context);
    try {
      return AesGcm.decrypt(key(okm), nonce(okm), ciphertext.body(), context);
    } finally {
      Arrays.fill(okm, (byte) 0);
    }
  }

  private static byte[] derive(Point shared, Point ephemeral, byte[] context) {
    byte[] ikm = Bytes.concat(shared.x(), ephemeral.encode());
    return Hkdf.sha256(
        ikm, new byte[0], Bytes.concat(TAG, context), AesGcm.KEY_LENGTH + AesGcm.NONCE_LENGTH);
  }

  private static byte[] key(byte[] okm) {
    return Arrays.copyOfRange(okm, 0, AesGcm.KEY_LENGTH);
  }

  private static byte[] nonce(byte[] okm) {
    return Arrays.copyOfRange(okm, AesGcm.KEY_LENGTH, okm.length);
  }
}
