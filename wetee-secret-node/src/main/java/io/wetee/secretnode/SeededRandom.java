package io.wetee.secretnode;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A deterministic random stream from a sealed 32-byte seed: block i is HMAC-SHA256(seed, i), as in
 * the HMAC_DRBG generate step without reseeding (NIST SP 800-90A §10.1.2, simplified to a counter).
 * Used only for one DKG run, so that a node rebuilt from its sealed seed deals the same polynomial
 * and the same bytes after a restart. Not thread-safe.
 */
final class SeededRandom extends SecureRandom {
  private static final long serialVersionUID = 1L;
  private final transient Mac mac;
  private long counter;
  private final byte[] block = new byte[32];
  private int used = 32;

  SeededRandom(byte[] seed) {
    try {
      mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(seed, "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new SecretNodeException("no HmacSHA256", e);
    }
  }

  @Override
  public synchronized void nextBytes(byte[] out) {
    for (int i = 0; i < out.length; i++) {
      if (used == block.length) {
        mac.update(ByteBuffer.allocate(8).putLong(counter++).array());
        System.arraycopy(mac.doFinal(), 0, block, 0, 32);
        used = 0;
      }
      out[i] = block[used++];
    }
  }

  @Override
  public void setSeed(long seed) {
    // Deterministic by design: ignore reseeding (called by the SecureRandom constructor).
  }

  @Override
  public byte[] generateSeed(int numBytes) {
    byte[] b = new byte[numBytes];
    nextBytes(b);
    return b;
  }
}
