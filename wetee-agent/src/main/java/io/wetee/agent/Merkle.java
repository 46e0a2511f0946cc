package io.wetee.agent;

import io.wetee.crypto.Bytes32;
import io.wetee.crypto.Keccak;
import java.util.List;

/**
 * Merkle tree hash over log chunks and metric samples.
 *
 * <p>Design notes: RFC 6962 §2.1 (Certificate Transparency) with keccak256 in place of SHA-256, so
 * a contract or any Ethereum tool can check an inclusion proof: {@code leaf = keccak256(0x00 ‖
 * entry)}, {@code node = keccak256(0x01 ‖ left ‖ right)}, the split at the largest power of two
 * below n (no duplicated last node, so no CVE-2012-2459-style second preimage), and the empty tree
 * hashes to {@code keccak256("")}. Stateless.
 */
final class Merkle {
  private static final byte[] LEAF = {0};
  private static final byte[] NODE = {1};

  private Merkle() {}

  /** The leaf hash of one encoded entry. */
  static Bytes32 leaf(byte[] entry) {
    return Keccak.hash(LEAF, entry);
  }

  /** The root over leaf hashes, in order. */
  static Bytes32 root(List<Bytes32> leaves) {
    if (leaves.isEmpty()) {
      return Keccak.hash(new byte[0]);
    }
    return root(leaves, 0, leaves.size());
  }

  private static Bytes32 root(List<Bytes32> leaves, int from, int to) {
    int n = to - from;
    if (n == 1) {
      return leaves.get(from);
    }
    int k = Integer.highestOneBit(n - 1);
    return Keccak.hash(
        NODE, root(leaves, from, from + k).toBytes(), root(leaves, from + k, to).toBytes());
  }
}
