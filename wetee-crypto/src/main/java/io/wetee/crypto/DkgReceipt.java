package io.wetee.crypto;

import java.util.Objects;

/** What a participant did with one received {@link DkgMessage}. */
public sealed interface DkgReceipt permits DkgReceipt.Accepted, DkgReceipt.Rejected {
  DkgReceipt ACCEPTED = new Accepted();

  /** Recorded; it takes part in the run's result. */
  record Accepted() implements DkgReceipt {}

  /**
   * Ignored, with no effect on the state. Every honest participant rejects the same messages.
   *
   * @param reason e.g. {@link Reason#WRONG_SESSION}, {@link Reason#WRONG_PHASE}, {@link
   *     Reason#UNKNOWN_PARTICIPANT}, {@link Reason#DUPLICATE}, {@link Reason#MALFORMED_DEAL},
   *     {@link Reason#RESHARE_CONSTANT_MISMATCH}, {@link Reason#UNSOLICITED}
   * @param detail for people
   */
  record Rejected(Reason reason, String detail) implements DkgReceipt {
    public Rejected {
      Objects.requireNonNull(reason, "reason");
    }
  }

  static DkgReceipt rejected(Reason reason, String detail) {
    return new Rejected(reason, detail);
  }
}
