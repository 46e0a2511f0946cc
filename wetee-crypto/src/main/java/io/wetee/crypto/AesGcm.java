package io.wetee.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM (NIST SP 800-38D) through JCA {@code AES/GCM/NoPadding}: 12-byte nonce, 128-bit tag
 * appended to the ciphertext. Each call makes its own {@link Cipher}; callers guarantee that a
 * (key, nonce) pair is never reused.
 */
final class AesGcm {
  static final int KEY_LENGTH = 32;
  static final int NONCE_LENGTH = 12;
  static final int TAG_LENGTH = 16;

  private AesGcm() {}

  static byte[] encrypt(byte[] key, byte[] nonce, byte[] plaintext, byte[] aad) {
    try {
      return cipher(Cipher.ENCRYPT_MODE, key, nonce, aad).doFinal(plaintext);
    } catch (GeneralSecurityException e) {
      throw new CryptoException("AES-GCM encryption failed", e);
    }
  }

  /**
   * Decrypts and authenticates.
   *
   * @throws InvalidInputException with {@link Reason#AUTHENTICATION_FAILED} if the tag does not
   *     verify (wrong key, wrong aad, tampered bytes)
   */
  static byte[] decrypt(byte[] key, byte[] nonce, byte[] ciphertext, byte[] aad) {
    try {
      return cipher(Cipher.DECRYPT_MODE, key, nonce, aad).doFinal(ciphertext);
    } catch (AEADBadTagException e) {
      throw new InvalidInputException(Reason.AUTHENTICATION_FAILED, "AES-GCM tag mismatch");
    } catch (GeneralSecurityException e) {
      throw new CryptoException("AES-GCM decryption failed", e);
    }
  }

  private static Cipher cipher(int mode, byte[] key, byte[] nonce, byte[] aad)
      throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_LENGTH * 8, nonce));
    cipher.updateAAD(aad);
    return cipher;
  }
}
