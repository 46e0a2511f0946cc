package io.wetee.crypto;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What a secret ciphertext is bound to (DESIGN §4): chain, Cloud contract, owner, secret name and
 * version. The binding is the HKDF {@code info} and the AES-GCM {@code aad} of {@link
 * SecretCipher}, so a ciphertext replayed under any other binding fails authentication.
 *
 * <p>{@link #info()} layout:
 *
 * <pre>
 * "wetee-secret-v1" (15 bytes ASCII) | chainId (uint256, 32 BE) | cloud (20) | owner (20)
 *   | name length (uint16, 2 BE) | name (UTF-8) | version (uint32, 4 BE)
 * </pre>
 *
 * @param chainId EIP-155 chain id
 * @param cloud the Cloud contract's address
 * @param owner the secret owner's account
 * @param name the secret's name, 1 to 65535 UTF-8 bytes
 * @param version uint32 version of the secret
 */
public record SecretBinding(
    BigInteger chainId, Address cloud, Address owner, String name, long version) {
  /** Domain-separation prefix of {@link #info()}. */
  public static final String TAG = "wetee-secret-v1";

  public SecretBinding {
    Objects.requireNonNull(cloud, "cloud");
    Objects.requireNonNull(owner, "owner");
    Bytes.unsigned(chainId, 32);
    int nameLength = name.getBytes(StandardCharsets.UTF_8).length;
    if (nameLength == 0 || nameLength > 0xFFFF) {
      throw new InvalidInputException(
          Reason.INVALID_ARGUMENT, "secret name must be 1..65535 UTF-8 bytes");
    }
    Eip712Message.requireUint32(version, "version");
  }

  /** The canonical bytes used as HKDF info and AES-GCM aad. */
  public byte[] info() {
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    return Bytes.concat(
        TAG.getBytes(StandardCharsets.US_ASCII),
        Bytes.unsigned(chainId, 32),
        cloud.toBytes(),
        owner.toBytes(),
        Bytes.bigEndian(nameBytes.length, 2),
        nameBytes,
        Bytes.bigEndian(version, 4));
  }
}
