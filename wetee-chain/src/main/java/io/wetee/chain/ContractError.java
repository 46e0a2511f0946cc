package io.wetee.chain;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A decoded revert: the contract that declares the error, the error's name and its named arguments,
 * e.g. {@code Cloud.InsufficientEscrow(required=100, available=5)}. Standard {@code Error(string)}
 * and {@code Panic(uint256)} reverts decode with contract {@code "Solidity"}.
 *
 * @param contract name of the contract whose ABI declares the error
 * @param name the error's name
 * @param args the error's arguments in declaration order
 */
public record ContractError(String contract, String name, List<Arg> args) {
  public ContractError {
    args = List.copyOf(args);
  }

  /** One named argument with its decoded value (BigInteger, String address, byte[] hex, ...). */
  public record Arg(String name, String type, Object value) {
    @Override
    public String toString() {
      return (name.isEmpty() ? "" : name + "=") + value;
    }
  }

  /** The error's signature with values, e.g. {@code Cloud.NotOwner(caller=0xabc...)}. */
  @Override
  public String toString() {
    return contract
        + "."
        + name
        + args.stream().map(Arg::toString).collect(Collectors.joining(", ", "(", ")"));
  }
}
