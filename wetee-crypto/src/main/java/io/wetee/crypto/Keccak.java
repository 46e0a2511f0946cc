package io.wetee.crypto;

import org.bouncycastle.crypto.digests.KeccakDigest;

/**
 * Keccak-256 as Ethereum uses it: the original Keccak submission padding (0x01), not the FIPS 202
 * SHA3-256 padding (0x06). Stateless and thread-safe.
 */
public final class Keccak {
  private Keccak() {}

  /** keccak256 of the concatenation of the parts. */
  public static byte[] keccak256(byte[]... parts) {
    KeccakDigest digest = new KeccakDigest(256);
    for (byte[] p : parts) {
      digest.update(p, 0, p.length);
    }
    byte[] out = new byte[32];
    digest.doFinal(out, 0);
    return out;
  }

  /** keccak256 of the concatenation of the parts, as a {@link Bytes32}. */
  public static Bytes32 hash(byte[]... parts) {
    return Bytes32.of(keccak256(parts));
  }
}
