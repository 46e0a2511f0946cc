package io.wetee.chain;

import java.math.BigInteger;

/**
 * A registered secret node (committee candidate).
 *
 * @param encryptionKey 33-byte compressed secp256k1 public key DKG shares are encrypted to
 */
public record SecretNodeInfo(
    long id,
    String account,
    Status status,
    long leftAt,
    BigInteger stake,
    String endpoint,
    byte[] encryptionKey) {
  /** Registration status. */
  public enum Status {
    NONE,
    ACTIVE,
    LEFT
  }

  public SecretNodeInfo {
    encryptionKey = encryptionKey.clone();
  }

  @Override
  public byte[] encryptionKey() {
    return encryptionKey.clone();
  }
}
