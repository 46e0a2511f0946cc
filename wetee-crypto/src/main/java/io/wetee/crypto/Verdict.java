package io.wetee.crypto;

import java.util.Objects;

/**
 * A committee member's attestation verdict, EIP-712 type {@value #TYPE} in domain {@code WeTEE
 * Committee} version {@code 1} (DESIGN §4). A contract accepts a set of verdicts when q distinct
 * current members signed the same struct.
 *
 * @param workloadId uint64, unsigned
 * @param version uint32
 * @param instance the attested instance key's address
 * @param teeType uint8 evidence type code
 * @param measurementHash bytes32
 * @param tcbStatus uint8 TCB status code
 * @param issuedAt uint64, unsigned (unix seconds)
 * @param expiresAt uint64, unsigned (unix seconds)
 */
public record Verdict(
    long workloadId,
    long version,
    Address instance,
    int teeType,
    Bytes32 measurementHash,
    int tcbStatus,
    long issuedAt,
    long expiresAt)
    implements Eip712Message {
  public static final String TYPE =
      "Verdict(uint64 workloadId,uint32 version,address instance,uint8 teeType,"
          + "bytes32 measurementHash,uint8 tcbStatus,uint64 issuedAt,uint64 expiresAt)";

  public Verdict {
    Eip712Message.requireUint32(version, "version");
    Objects.requireNonNull(instance, "instance");
    Eip712Message.requireUint8(teeType, "teeType");
    Objects.requireNonNull(measurementHash, "measurementHash");
    Eip712Message.requireUint8(tcbStatus, "tcbStatus");
  }

  @Override
  public Eip712Struct toStruct() {
    return Eip712Struct.builder("Verdict")
        .uint("workloadId", 64, workloadId)
        .uint("version", 32, version)
        .address("instance", instance)
        .uint("teeType", 8, teeType)
        .bytes32("measurementHash", measurementHash)
        .uint("tcbStatus", 8, tcbStatus)
        .uint("issuedAt", 64, issuedAt)
        .uint("expiresAt", 64, expiresAt)
        .build();
  }

  @Override
  public String domainName() {
    return Eip712Domain.COMMITTEE_NAME;
  }
}
