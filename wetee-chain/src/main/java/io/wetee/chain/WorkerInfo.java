package io.wetee.chain;

import io.wetee.attestation.TeeType;
import java.math.BigInteger;
import java.util.Set;

/**
 * A worker as the Subnet contract knows it.
 *
 * @param active registered, not stopped, and staked at least the level's minimum
 * @param stoppedAt block at which it stopped taking workloads; 0 while running
 * @param stake staked wei
 * @param used resources reserved by workloads
 * @param workloads number of workloads assigned
 */
public record WorkerInfo(
    long id,
    String account,
    String name,
    String endpoint,
    int regionId,
    int levelId,
    Set<TeeType> teeTypes,
    Status status,
    boolean active,
    long stoppedAt,
    BigInteger stake,
    Resources capacity,
    Resources used,
    long workloads) {
  /** Registration status. */
  public enum Status {
    NONE,
    REGISTERED,
    STOPPED
  }

  public WorkerInfo {
    teeTypes = Set.copyOf(teeTypes);
  }
}
