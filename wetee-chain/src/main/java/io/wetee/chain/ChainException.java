package io.wetee.chain;

/**
 * Base of every fault raised by the chain layer: an RPC endpoint that is down or answers garbage, a
 * transaction that is not mined in time, a contract that reverts ({@link
 * ContractRevertedException}). Unchecked, as per the project's conventions.
 */
public class ChainException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ChainException(String message) {
    super(message);
  }

  public ChainException(String message, Throwable cause) {
    super(message, cause);
  }
}
