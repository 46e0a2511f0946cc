package io.wetee.crypto;

import java.security.SecureRandom;
import java.util.Arrays;

/** A deterministic {@link SecureRandom} for reproducible tests: SHA-256 counter mode of a seed. */
final class TestRandom extends SecureRandom {
  private static final long serialVersionUID = 1L;

  private final byte[] seed;
  private long counter;

  TestRandom(long seed) {
    this.seed = Bytes.bigEndian(seed, 8);
  }

  @Override
  public void nextBytes(byte[] bytes) {
    int at = 0;
    while (at < bytes.length) {
      byte[] block = sha256(Bytes.concat(seed, Bytes.bigEndian(counter++, 8)));
      int n = Math.min(block.length, bytes.length - at);
      System.arraycopy(block, 0, bytes, at, n);
      at += n;
    }
  }

  private static byte[] sha256(byte[] in) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(in);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** Random bytes that replay a fixed sequence: for tests that pin ephemeral values. */
  static SecureRandom replaying(byte[]... outputs) {
    return new SecureRandom() {
      private static final long serialVersionUID = 1L;
      private int next;

      @Override
      public void nextBytes(byte[] bytes) {
        byte[] out = outputs[next++];
        if (out.length != bytes.length) {
          throw new AssertionError("replay length " + out.length + " != " + bytes.length);
        }
        System.arraycopy(out, 0, bytes, 0, bytes.length);
        Arrays.fill(out, (byte) 0);
      }
    };
  }
}
