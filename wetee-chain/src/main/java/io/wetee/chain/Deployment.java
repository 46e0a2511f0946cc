package io.wetee.chain;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.wetee.common.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A deployment of the WeTEE contracts as written by {@code contracts/scripts/deploy.js}: chain id,
 * RPC URL, the block of the first deploy transaction (where followers start), contract addresses,
 * and on a devnet the development accounts with their roles (index 0 "admin", 1 to 9 "user", 10 and
 * up "devnet" for processes the devnet starts). Immutable.
 *
 * @param chainId EIP-155 chain id
 * @param rpcUrl JSON-RPC endpoint
 * @param deployBlock block number of the first deploy transaction
 * @param contracts contract name to address
 * @param accounts development accounts; empty for public chains
 */
public record Deployment(
    long chainId,
    String rpcUrl,
    long deployBlock,
    Map<String, String> contracts,
    List<Account> accounts) {

  /** A development account. Only the well-known Hardhat development keys ever appear here. */
  public record Account(int index, String address, String privateKey, String role) {
    @Override
    public String toString() {
      return "Account[" + index + ", " + address + ", " + role + "]";
    }
  }

  public Deployment {
    contracts = Map.copyOf(contracts);
    accounts = accounts == null ? List.of() : List.copyOf(accounts);
  }

  /** Reads and validates a deployment file. */
  public static Deployment load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ChainException("no deployment file at " + file);
    }
    Deployment d;
    try {
      d = Json.strict().readValue(file.toFile(), Deployment.class);
    } catch (IOException e) {
      throw new ChainException("invalid deployment file " + file + ": " + e.getMessage(), e);
    }
    for (String name : ErrorDecoder.CONTRACTS) {
      String address = d.contracts().get(name);
      if (address == null || !address.matches("0x[0-9a-fA-F]{40}")) {
        throw new ChainException("deployment file " + file + " lacks a valid address for " + name);
      }
    }
    return d;
  }

  /** The address of a contract; fails clearly when the deployment lacks it. */
  public String address(String contract) {
    return Optional.ofNullable(contracts.get(contract))
        .orElseThrow(() -> new ChainException("deployment has no " + contract + " contract"));
  }

  /** The development account with this index. */
  @JsonIgnore
  public Account account(int index) {
    return accounts.stream()
        .filter(a -> a.index() == index)
        .findFirst()
        .orElseThrow(() -> new ChainException("deployment has no development account " + index));
  }
}
