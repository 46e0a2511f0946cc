package io.wetee.attestation;

/**
 * A fault of the attestation module: a misconfiguration, an unreadable trust anchor, an I/O failure
 * of a collateral source or evidence provider. Evidence that fails verification is not a fault: it
 * is a {@link Rejected} value.
 */
public class AttestationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public AttestationException(String message) {
    super(message);
  }

  public AttestationException(String message, Throwable cause) {
    super(message, cause);
  }
}
