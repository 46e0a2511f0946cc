package io.wetee.attestation;

import java.util.Optional;

/**
 * TCB status with Intel QVL's names. The codes are part of the on-chain contracts (verdicts carry
 * them): never reorder. "No matching TCB level" is not a status but a rejection ({@link
 * RejectReason#TCB_LEVEL_NOT_FOUND}).
 */
public enum TcbStatus {
  UpToDate(0),
  SWHardeningNeeded(1),
  ConfigurationNeeded(2),
  ConfigurationAndSWHardeningNeeded(3),
  OutOfDate(4),
  OutOfDateConfigurationNeeded(5),
  Revoked(6);

  private final int code;

  TcbStatus(int code) {
    this.code = code;
  }

  /** The stable numeric code used by the contracts. */
  public int code() {
    return code;
  }

  /** Parses a status name as Intel PCS writes it; empty when the name is not one of ours. */
  public static Optional<TcbStatus> fromName(String name) {
    for (TcbStatus s : values()) {
      if (s.name().equals(name)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
