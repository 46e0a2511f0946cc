package io.wetee.crypto;

import java.math.BigInteger;

/**
 * A WeTEE message signed under EIP-712. Each implementation fixes its struct type (see {@link
 * #encodeType()}) and its domain name; the caller supplies chain id and verifying contract.
 *
 * <p>Integer conventions for the record components: {@code uint64} members are Java {@code long}s
 * read as unsigned (every bit pattern is valid), {@code uint32} members are {@code long}s that must
 * lie in [0, 2^32), {@code uint8} members are {@code int}s in [0, 255], {@code int32} members are
 * {@code int}s.
 */
public sealed interface Eip712Message permits Verdict, SettleProof, RunResult {
  /** The struct with its members in the order of the Solidity type. */
  Eip712Struct toStruct();

  /** The EIP-712 domain name this message is signed under. */
  String domainName();

  /** The EIP-712 domain version; {@code 1} for all current messages. */
  default String domainVersion() {
    return "1";
  }

  /** The exact {@code encodeType} string, e.g. {@code Verdict(uint64 workloadId,...)}. */
  default String encodeType() {
    return Eip712.encodeType(toStruct());
  }

  /** The domain this message is signed under on a given chain and contract. */
  default Eip712Domain domain(BigInteger chainId, Address verifyingContract) {
    return new Eip712Domain(domainName(), domainVersion(), chainId, verifyingContract);
  }

  /** The 32-byte digest a signer signs and {@code ecrecover} checks. */
  default Bytes32 digest(BigInteger chainId, Address verifyingContract) {
    return Eip712.digest(domain(chainId, verifyingContract), toStruct());
  }

  /** Signs the digest. */
  default EthSignature sign(PrivateKey key, BigInteger chainId, Address verifyingContract) {
    return Ethereum.sign(key, digest(chainId, verifyingContract));
  }

  /** The address that signed this message, as the contract's {@code ecrecover} would see it. */
  default Address recoverSigner(
      EthSignature signature, BigInteger chainId, Address verifyingContract) {
    return Ethereum.recover(digest(chainId, verifyingContract), signature);
  }

  /**
   * Whether {@code ecrecover} of the digest and signature gives {@code publicKey}, without a
   * recovery: {@link Ethereum#isSignedBy}.
   */
  default boolean isSignedBy(
      EthSignature signature, BigInteger chainId, Address verifyingContract, Point publicKey) {
    return Ethereum.isSignedBy(digest(chainId, verifyingContract).toBytes(), signature, publicKey);
  }

  /** Checks a value fits uint32. */
  static long requireUint32(long value, String name) {
    if (value < 0 || value > 0xFFFF_FFFFL) {
      throw new InvalidInputException(Reason.VALUE_OUT_OF_RANGE, name + " does not fit uint32");
    }
    return value;
  }

  /** Checks a value fits uint8. */
  static int requireUint8(int value, String name) {
    if (value < 0 || value > 0xFF) {
      throw new InvalidInputException(Reason.VALUE_OUT_OF_RANGE, name + " does not fit uint8");
    }
    return value;
  }
}
