package io.wetee.crypto;

import java.util.Objects;

/**
 * The result of one task run, EIP-712 type {@value #TYPE} in domain {@code WeTEE Cloud} version
 * {@code 1}, signed by the instance key.
 *
 * @param workloadId uint64, unsigned
 * @param version uint32
 * @param runId uint64, unsigned
 * @param exitCode int32
 * @param resultHash bytes32
 * @param logsHash bytes32
 */
public record RunResult(
    long workloadId, long version, long runId, int exitCode, Bytes32 resultHash, Bytes32 logsHash)
    implements Eip712Message {
  public static final String TYPE =
      "RunResult(uint64 workloadId,uint32 version,uint64 runId,int32 exitCode,"
          + "bytes32 resultHash,bytes32 logsHash)";

  public RunResult {
    Eip712Message.requireUint32(version, "version");
    Objects.requireNonNull(resultHash, "resultHash");
    Objects.requireNonNull(logsHash, "logsHash");
  }

  @Override
  public Eip712Struct toStruct() {
    return Eip712Struct.builder("RunResult")
        .uint("workloadId", 64, workloadId)
        .uint("version", 32, version)
        .uint("runId", 64, runId)
        .signedInt("exitCode", 32, exitCode)
        .bytes32("resultHash", resultHash)
        .bytes32("logsHash", logsHash)
        .build();
  }

  @Override
  public String domainName() {
    return Eip712Domain.CLOUD_NAME;
  }
}
