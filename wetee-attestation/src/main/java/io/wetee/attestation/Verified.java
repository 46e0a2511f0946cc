package io.wetee.attestation;

import io.wetee.common.Hex;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Evidence verified and accepted by the policy.
 *
 * @param teeType the TEE that produced the evidence ({@link TeeType#SIMULATED} is labelled so)
 * @param quoteVersion the quote version (DCAP 3, 4, 5), report version (SEV-SNP 2, 3) or simulated
 *     format version
 * @param status the merged TCB status (Intel QVL rules for DCAP; {@link TcbStatus#UpToDate} for
 *     SEV-SNP and SIMULATED, which have no TCB status of their own: SEV-SNP's reported TCB is bound
 *     to the VCEK/VLEK)
 * @param advisoryIds Intel advisory IDs of the matched TCB levels (platform, TDX module, QE)
 * @param qeStatus the QE identity TCB status (DCAP only)
 * @param tdxModuleStatus the TDX module identity TCB status (TDX only, when the TCB info has one)
 * @param debug whether the enclave, TD or guest runs in debug mode
 * @param measurements named measurements, lower-case hex, in a stable order
 * @param reportData the 64 bytes of report_data
 * @param platformId PPID (16 bytes) || FMSPC (6 bytes) for SGX/TDX, chip_id (64 bytes) for SEV-SNP,
 *     the 33-byte compressed platform public key for SIMULATED
 */
@SuppressWarnings("ArrayRecordComponent") // arrays are copied in and out; equals compares content
public record Verified(
    TeeType teeType,
    int quoteVersion,
    TcbStatus status,
    List<String> advisoryIds,
    Optional<TcbStatus> qeStatus,
    Optional<TcbStatus> tdxModuleStatus,
    boolean debug,
    Map<String, String> measurements,
    byte[] reportData,
    byte[] platformId)
    implements VerificationResult {

  public Verified {
    Objects.requireNonNull(teeType, "teeType");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(qeStatus, "qeStatus");
    Objects.requireNonNull(tdxModuleStatus, "tdxModuleStatus");
    advisoryIds = List.copyOf(advisoryIds);
    measurements = Collections.unmodifiableMap(new LinkedHashMap<>(measurements));
    reportData = reportData.clone();
    platformId = platformId.clone();
  }

  /** A copy of the 64 bytes of report_data. */
  @Override
  public byte[] reportData() {
    return reportData.clone();
  }

  /** A copy of the platform identity bytes (see the record description). */
  @Override
  public byte[] platformId() {
    return platformId.clone();
  }

  /** The named measurement as bytes, if present. */
  public Optional<byte[]> measurement(String name) {
    return Optional.ofNullable(measurements.get(name)).map(Hex::decode);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Verified v
        && teeType == v.teeType
        && quoteVersion == v.quoteVersion
        && status == v.status
        && advisoryIds.equals(v.advisoryIds)
        && qeStatus.equals(v.qeStatus)
        && tdxModuleStatus.equals(v.tdxModuleStatus)
        && debug == v.debug
        && measurements.equals(v.measurements)
        && Arrays.equals(reportData, v.reportData)
        && Arrays.equals(platformId, v.platformId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(teeType, quoteVersion, status, measurements, Arrays.hashCode(reportData));
  }

  @Override
  public String toString() {
    return "Verified[teeType="
        + teeType
        + ", quoteVersion="
        + quoteVersion
        + ", status="
        + status
        + ", advisoryIds="
        + advisoryIds
        + ", debug="
        + debug
        + ", reportData="
        + Hex.encode(reportData)
        + ", platformId="
        + Hex.encode(platformId)
        + "]";
  }
}
