package io.wetee.chain;

/** A call or transaction reverted; {@link #error()} says which custom error, with its values. */
public final class ContractRevertedException extends ChainException {
  private static final long serialVersionUID = 1L;

  private final transient ContractError error;

  public ContractRevertedException(ContractError error) {
    super(error.toString());
    this.error = error;
  }

  /** The decoded revert. */
  public ContractError error() {
    return error;
  }

  /** The error's name without contract, e.g. {@code InsufficientEscrow}. */
  public String errorName() {
    return error.name();
  }
}
