package io.wetee.common.spec;

/** A workload spec that cannot be parsed or breaks a rule of DESIGN §6; the message says where. */
public final class SpecException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SpecException(String message) {
    super(message);
  }

  public SpecException(String message, Throwable cause) {
    super(message, cause);
  }
}
