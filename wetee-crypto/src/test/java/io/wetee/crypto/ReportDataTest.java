package io.wetee.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.wetee.common.Hex;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ReportDataTest {
  static final ReportData BINDING =
      new ReportData(
          BigInteger.valueOf(31337),
          Eip712Test.CONTRACT,
          42,
          3,
          Eip712Test.HARDHAT_1,
          Keccak.hash("nonce".getBytes(StandardCharsets.UTF_8)));

  @Test
  void hashEqualsSolidityPackedKeccakOfTheSameFields() {
    // ethers.solidityPackedKeccak256(["string","uint256","address","uint64","uint32","address",
    // "bytes32"], [...]) in eth-vectors.cjs.
    assertThat(BINDING.hash().toHex())
        .isEqualTo("0xe3abe6d714ca1fb43bbaf46a053d2ef11a1589df024b5e5fc82da3df5ee228f6");
  }

  @Test
  void preimageHasTheDocumentedPackedLayout() {
    String hex = Hex.encode(BINDING.preimage());
    assertThat(BINDING.preimage()).hasSize(131);
    assertThat(hex)
        .isEqualTo(
            Hex.encode("wetee-attest-v1".getBytes(StandardCharsets.US_ASCII))
                + "0".repeat(60)
                + "7a69"
                + "5fbdb2315678afecb367f032d93f642f64180aa3"
                + "000000000000002a"
                + "00000003"
                + "70997970c51812dc3a010c7d01b50e0d17dc79c8"
                + Hex.encode(Keccak.keccak256("nonce".getBytes(StandardCharsets.UTF_8))));
  }

  @Test
  void reportDataIsTheHashFollowedByThirtyTwoZeroBytes() {
    byte[] rd = BINDING.toBytes();
    assertThat(rd).hasSize(64);
    assertThat(Hex.encode(rd)).isEqualTo(BINDING.hash().toHex().substring(2) + "0".repeat(64));
    assertThat(BINDING.matches(rd)).isTrue();
    rd[63] = 1;
    assertThat(BINDING.matches(rd)).isFalse();
  }
}
