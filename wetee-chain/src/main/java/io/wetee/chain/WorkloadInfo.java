package io.wetee.chain;

import io.wetee.attestation.TeeType;
import java.math.BigInteger;
import java.util.Set;

/**
 * A workload as the Cloud contract knows it. {@code escrow} is what remains available as of {@code
 * lastSettledBlock}; {@code claimable} is what the worker may withdraw now.
 */
public record WorkloadInfo(
    long id,
    String owner,
    long workerId,
    WorkloadKind kind,
    Status status,
    Set<TeeType> teeTypes,
    boolean allowDebug,
    int levelId,
    int regionId,
    Resources resources,
    long version,
    String specHash,
    String instance,
    long lastSettledBlock,
    long verdictExpiresAt,
    BigInteger pricePerBlock,
    BigInteger escrow,
    BigInteger claimable,
    int feeBps,
    BigInteger runPrice,
    long everyBlocks,
    long nextRunAt,
    long nextRunId,
    String name) {
  /** Lifecycle status: pending (waiting for an attested start), running, stopped. */
  public enum Status {
    PENDING,
    RUNNING,
    STOPPED
  }

  public WorkloadInfo {
    teeTypes = Set.copyOf(teeTypes);
  }
}
