package io.wetee.crypto;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Encryption of deployer secrets to the committee's group key PK (DESIGN §4), hashed ElGamal /
 * ECIES-KEM (Abdalla, Bellare, Rogaway, "DHIES", CT-RSA 2001) whose decapsulation the committee
 * performs jointly by threshold decryption shares.
 *
 * <p>Design notes. {@code r} random, {@code C1 = r*G}, {@code Z = r*PK}; {@code k = HKDF-SHA256(ikm
 * = x(Z) (32) | C1 (33), salt = empty, info = binding.info(), L = 32)}; ciphertext = {@code (C1,
 * nonce (12, random), AES-256-GCM(k, nonce, value, aad = binding.info()))}. Since {@code Z = s*C1}
 * for the group secret s, q members' shares {@code s_j*C1} combined by Lagrange give Z without
 * anyone learning s. The binding (chain, cloud, owner, name, version) is in both the key derivation
 * and the aad, so a ciphertext fails under any other binding.
 */
public final class SecretCipher {
  private static final int KEY_LENGTH = 32;

  private SecretCipher() {}

  /**
   * Encrypts a secret value to the group key. Consumes randomness in this order: r (32 bytes,
   * rejection-sampled), then the 12-byte nonce.
   *
   * @throws InvalidInputException with {@link Reason#POINT_AT_INFINITY} for an infinite key
   */
  public static SecretCiphertext encrypt(
      Point groupKey, SecretBinding binding, byte[] value, SecureRandom random) {
    if (groupKey.isInfinity()) {
      throw new InvalidInputException(Reason.POINT_AT_INFINITY, "group key is infinity");
    }
    Scalar r = Scalar.random(random);
    Point c1 = Point.fromSecret(r);
    byte[] nonce = new byte[AesGcm.NONCE_LENGTH];
    random.nextBytes(nonce);
    byte[] info = binding.info();
    byte[] k = deriveKey(groupKey.multiplySecret(r), c1, info);
    try {
      return new SecretCiphertext(c1, nonce, AesGcm.encrypt(k, nonce, value, info));
    } finally {
      Arrays.fill(k, (byte) 0);
    }
  }

  /**
   * Decrypts given {@code Z = s*C1}, as combined from threshold decryption shares.
   *
   * @throws InvalidInputException with {@link Reason#AUTHENTICATION_FAILED} when Z, the binding or
   *     the ciphertext is wrong
   */
  public static byte[] decrypt(Point z, SecretBinding binding, SecretCiphertext ciphertext) {
    if (z.isInfinity()) {
      throw new InvalidInputException(Reason.POINT_AT_INFINITY, "Z is infinity");
    }
    byte[] info = binding.info();
    byte[] k = deriveKey(z, ciphertext.c1(), info);
    try {
      return AesGcm.decrypt(k, ciphertext.nonce(), ciphertext.body(), info);
    } finally {
      Arrays.fill(k, (byte) 0);
    }
  }

  /** Decrypts with the whole group secret s (tests, recovery tooling): Z = s*C1. */
  public static byte[] decryptWithSecret(
      Scalar groupSecret, SecretBinding binding, SecretCiphertext ciphertext) {
    return decrypt(ciphertext.c1().multiplySecret(groupSecret), binding, ciphertext);
  }

  static byte[] deriveKey(Point z, Point c1, byte[] info) {
    return Hkdf.sha256(Bytes.concat(z.x(), c1.encode()), new byte[0], info, KEY_LENGTH);
  }
}
