package io.wetee.crypto;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The 64-byte {@code report_data} that binds a TEE instance's evidence to its key and workload
 * (DESIGN §4).
 *
 * <p>Layout, Solidity {@code abi.encodePacked} order and widths, 131 bytes hashed:
 *
 * <pre>
 * "wetee-attest-v1" (15 bytes ASCII) | chainId (uint256, 32 BE) | cloud (address, 20)
 *   | workloadId (uint64, 8 BE) | version (uint32, 4 BE) | instance (address, 20) | nonce (32)
 * report_data = keccak256(above) (32) | 32 zero bytes
 * </pre>
 *
 * @param chainId EIP-155 chain id, uint256
 * @param cloud the Cloud contract's address
 * @param workloadId uint64, read as unsigned
 * @param version uint32
 * @param instance the instance key's address
 * @param nonce 32 bytes of freshness chosen by the verifier or the agent
 */
public record ReportData(
    BigInteger chainId,
    Address cloud,
    long workloadId,
    long version,
    Address instance,
    Bytes32 nonce) {
  /** Domain-separation prefix of the hashed preimage. */
  public static final String TAG = "wetee-attest-v1";

  public ReportData {
    Objects.requireNonNull(cloud, "cloud");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(nonce, "nonce");
    Bytes.unsigned(chainId, 32);
    Eip712Message.requireUint32(version, "version");
  }

  /** The packed preimage, 131 bytes. */
  public byte[] preimage() {
    return Bytes.concat(
        TAG.getBytes(StandardCharsets.US_ASCII),
        Bytes.unsigned(chainId, 32),
        cloud.toBytes(),
        Bytes.bigEndian(workloadId, 8),
        Bytes.bigEndian(version, 4),
        instance.toBytes(),
        nonce.toBytes());
  }

  /** keccak256 of the preimage: the first half of report_data. */
  public Bytes32 hash() {
    return Keccak.hash(preimage());
  }

  /** The 64 bytes to put in the evidence: hash followed by 32 zero bytes. */
  public byte[] toBytes() {
    return Arrays.copyOf(hash().toBytes(), 64);
  }

  /** Whether 64 bytes of evidence report_data equal this binding, in constant time. */
  public boolean matches(byte[] reportData) {
    return java.security.MessageDigest.isEqual(toBytes(), reportData);
  }
}
