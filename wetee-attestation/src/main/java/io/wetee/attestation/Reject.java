package io.wetee.attestation;

/**
 * Internal control flow: thrown deep in a verification step, caught once at the verifier's entry
 * and returned as a {@link Rejected} value. Never escapes the module. No stack trace: it is an
 * expected outcome, and rejections must stay cheap.
 */
final class Reject extends RuntimeException {
  private static final long serialVersionUID = 1L;

  @SuppressWarnings("serial") // never serialised
  private final RejectReason reason;

  Reject(RejectReason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  Rejected toResult() {
    return new Rejected(reason, getMessage());
  }

  RejectReason reason() {
    return reason;
  }
}
