package io.wetee.crypto;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * HKDF-SHA256, extract-then-expand (RFC 5869 §2), on BouncyCastle's implementation. An empty salt
 * means the RFC's default: a string of HashLen zeros. Stateless and thread-safe.
 */
public final class Hkdf {
  private Hkdf() {}

  /**
   * Derives {@code length} bytes (at most 255 * 32).
   *
   * @param ikm input keying material
   * @param salt optional salt; empty for none
   * @param info context and application specific information
   */
  public static byte[] sha256(byte[] ikm, byte[] salt, byte[] info, int length) {
    if (length <= 0 || length > 255 * 32) {
      throw new CryptoException("HKDF-SHA256 output length out of range: " + length);
    }
    HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
    hkdf.init(new HKDFParameters(ikm, salt, info));
    byte[] out = new byte[length];
    hkdf.generateBytes(out, 0, length);
    return out;
  }
}
