package io.wetee.attestation;

import java.util.Objects;

/** Evidence rejected: a stable reason and a message naming what failed. */
public record Rejected(RejectReason reason, String message) implements VerificationResult {
  public Rejected {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
  }

  /** The stable code of the reason. */
  public int code() {
    return reason.code();
  }
}
