package io.wetee.chain;

import io.wetee.attestation.TeeType;
import java.math.BigInteger;
import java.util.Set;

/**
 * Everything {@code Cloud.create} takes.
 *
 * @param spec canonical spec JSON bytes (its keccak256 is the spec hash)
 * @param runPrice wei per task run (tasks only; zero for services)
 * @param everyBlocks run every N blocks, 0 = once (tasks only)
 * @param deposit prepayment into escrow, in wei
 */
public record CreateWorkload(
    long workerId,
    WorkloadKind kind,
    Set<TeeType> teeTypes,
    boolean allowDebug,
    int levelId,
    int regionId,
    Resources resources,
    BigInteger runPrice,
    long everyBlocks,
    byte[] spec,
    BigInteger deposit) {
  public CreateWorkload {
    teeTypes = Set.copyOf(teeTypes);
    spec = spec.clone();
  }

  @Override
  public byte[] spec() {
    return spec.clone();
  }
}
