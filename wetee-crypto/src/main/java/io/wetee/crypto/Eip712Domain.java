package io.wetee.crypto;

import java.math.BigInteger;
import java.util.Objects;

/**
 * The EIP-712 domain {@code EIP712Domain(string name,string version,uint256 chainId,address
 * verifyingContract)} (all four fields, in this order, as OpenZeppelin's {@code EIP712} base
 * contract builds it).
 *
 * @param name human-readable signing domain, e.g. {@code WeTEE Committee}
 * @param version signing-format version, e.g. {@code 1}
 * @param chainId EIP-155 chain id
 * @param verifyingContract the contract that checks the signatures
 */
public record Eip712Domain(
    String name, String version, BigInteger chainId, Address verifyingContract) {
  /** Domain name of {@link Verdict}s. */
  public static final String COMMITTEE_NAME = "WeTEE Committee";

  /** Domain name of {@link SettleProof}s and {@link RunResult}s. */
  public static final String CLOUD_NAME = "WeTEE Cloud";

  public Eip712Domain {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(verifyingContract, "verifyingContract");
    if (chainId.signum() < 0 || chainId.bitLength() > 256) {
      throw new InvalidInputException(Reason.VALUE_OUT_OF_RANGE, "chainId does not fit uint256");
    }
  }

  /** {@code WeTEE Committee}, version {@code 1}: the domain of verdicts. */
  public static Eip712Domain committee(BigInteger chainId, Address committeeContract) {
    return new Eip712Domain(COMMITTEE_NAME, "1", chainId, committeeContract);
  }

  /** {@code WeTEE Cloud}, version {@code 1}: the domain of settle proofs and run results. */
  public static Eip712Domain cloud(BigInteger chainId, Address cloudContract) {
    return new Eip712Domain(CLOUD_NAME, "1", chainId, cloudContract);
  }

  /** The domain as an EIP-712 struct named {@code EIP712Domain}. */
  public Eip712Struct toStruct() {
    return Eip712Struct.builder("EIP712Domain")
        .string("name", name)
        .string("version", version)
        .uint("chainId", 256, chainId)
        .address("verifyingContract", verifyingContract)
        .build();
  }

  /** {@code domainSeparator = hashStruct(domain)}. */
  public Bytes32 separator() {
    return Eip712.hashStruct(toStruct());
  }
}
