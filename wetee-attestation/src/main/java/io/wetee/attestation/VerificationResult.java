package io.wetee.attestation;

/**
 * The outcome of verifying evidence: {@link Verified} or {@link Rejected}. Expected failures are
 * values, never exceptions; switch on the result with patterns.
 */
public sealed interface VerificationResult permits Verified, Rejected {

  /** True for {@link Verified}. */
  default boolean isVerified() {
    return this instanceof Verified;
  }
}
