package io.wetee.crypto;

import java.util.Objects;

/**
 * The instance's proof of work for a settlement interval, EIP-712 type {@value #TYPE} in domain
 * {@code WeTEE Cloud} version {@code 1}, signed by the instance key.
 *
 * @param workloadId uint64, unsigned
 * @param version uint32
 * @param fromBlock uint64, unsigned
 * @param toBlock uint64, unsigned
 * @param logsRoot bytes32
 * @param metricsRoot bytes32
 */
public record SettleProof(
    long workloadId,
    long version,
    long fromBlock,
    long toBlock,
    Bytes32 logsRoot,
    Bytes32 metricsRoot)
    implements Eip712Message {
  public static final String TYPE =
      "SettleProof(uint64 workloadId,uint32 version,uint64 fromBlock,uint64 toBlock,"
          + "bytes32 logsRoot,bytes32 metricsRoot)";

  public SettleProof {
    Eip712Message.requireUint32(version, "version");
    Objects.requireNonNull(logsRoot, "logsRoot");
    Objects.requireNonNull(metricsRoot, "metricsRoot");
  }

  @Override
  public Eip712Struct toStruct() {
    return Eip712Struct.builder("SettleProof")
        .uint("workloadId", 64, workloadId)
        .uint("version", 32, version)
        .uint("fromBlock", 64, fromBlock)
        .uint("toBlock", 64, toBlock)
        .bytes32("logsRoot", logsRoot)
        .bytes32("metricsRoot", metricsRoot)
        .build();
  }

  @Override
  public String domainName() {
    return Eip712Domain.CLOUD_NAME;
  }
}
