package io.wetee.crypto;

/**
 * Untrusted input was rejected: a malformed encoding, a point off the curve, a signature that does
 * not recover, a ciphertext that fails authentication. The {@link #reason()} is stable and safe to
 * map to protocol errors; the message is for people and never contains secret material.
 */
public final class InvalidInputException extends CryptoException {
  private static final long serialVersionUID = 1L;

  private final Reason reason;

  public InvalidInputException(Reason reason, String message) {
    super(reason.code() + ": " + message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
