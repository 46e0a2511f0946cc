package io.wetee.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.wetee.crypto.Bytes32;
import io.wetee.crypto.Keccak;
import java.util.List;
import org.junit.jupiter.api.Test;

class MerkleTest {
  private static Bytes32 node(Bytes32 l, Bytes32 r) {
    return Keccak.hash(new byte[] {1}, l.toBytes(), r.toBytes());
  }

  @Test
  void hashesLeavesWithAZeroPrefixAndTheEmptyTreeAsKeccakOfNothing() {
    assertThat(Merkle.leaf(new byte[] {7})).isEqualTo(Keccak.hash(new byte[] {0, 7}));
    assertThat(Merkle.root(List.of()).toHex())
        .isEqualTo("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
  }

  @Test
  void splitsAtTheLargestPowerOfTwoBelowTheSizeAsRfc6962Does() {
    Bytes32 a = Merkle.leaf(new byte[] {1});
    Bytes32 b = Merkle.leaf(new byte[] {2});
    Bytes32 c = Merkle.leaf(new byte[] {3});
    Bytes32 d = Merkle.leaf(new byte[] {4});
    Bytes32 e = Merkle.leaf(new byte[] {5});
    assertThat(Merkle.root(List.of(a))).isEqualTo(a);
    assertThat(Merkle.root(List.of(a, b))).isEqualTo(node(a, b));
    assertThat(Merkle.root(List.of(a, b, c))).isEqualTo(node(node(a, b), c));
    assertThat(Merkle.root(List.of(a, b, c, d, e)))
        .isEqualTo(node(node(node(a, b), node(c, d)), e));
    // no duplicated last node: [a, b, c] and [a, b, c, c] differ
    assertThat(Merkle.root(List.of(a, b, c))).isNotEqualTo(Merkle.root(List.of(a, b, c, c)));
  }
}
