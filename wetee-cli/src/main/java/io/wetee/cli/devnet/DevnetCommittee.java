package io.wetee.cli.devnet;

import io.wetee.chain.ChainClient;
import io.wetee.chain.Deployment;
import io.wetee.common.Secret;
import io.wetee.secretnode.SecretNode;
import io.wetee.secretnode.SecretNodeConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.web3j.crypto.Credentials;

/**
 * The devnet's committee: n secret nodes in the devnet's JVM (DESIGN §9), each with its own HTTP
 * server on loopback, sealed store and development account (10, 11, ...). They register themselves;
 * the admin then sets epoch 1 with quorum floor(2n/3) + 1 and the nodes run the DKG on their own.
 * The sealing passphrase is a fixed development value: devnet only.
 */
final class DevnetCommittee implements AutoCloseable {
  private final List<SecretNode> nodes;

  private DevnetCommittee(List<SecretNode> nodes) {
    this.nodes = nodes;
  }

  static DevnetCommittee start(Deployment d, Path deploymentFile, Path home, int n, PrintWriter out)
      throws IOException {
    Path root = home.resolve("secret-nodes");
    deleteTree(root); // a fresh chain: keys sealed for an old one would be wrong
    List<SecretNode> nodes = new ArrayList<>();
    DevnetCommittee committee = new DevnetCommittee(nodes);
    try {
      for (int i = 0; i < n; i++) {
        nodes.add(SecretNode.start(config(deploymentFile, root.resolve("node-" + i), 10 + i)));
      }
      try (ChainClient admin =
          ChainClient.connect(d, Optional.of(Credentials.create(d.account(0).privateKey())))) {
        admin.committee().contract().setDkgPhases(big(8), big(4), big(4)).send();
        admin
            .committee()
            .setEpoch(1, nodes.stream().map(SecretNode::address).toList(), 2 * n / 3 + 1);
      }
    } catch (Exception e) {
      committee.close();
      throw new IOException("cannot start the devnet committee: " + e.getMessage(), e);
    }
    out.printf(
        "  committee     %d secret nodes, quorum %d (DKG runs now; see: wetee committee status)%n",
        n, 2 * n / 3 + 1);
    for (SecretNode s : nodes) {
      out.printf("    %s  %s%n", s.address(), s.endpoint());
    }
    return committee;
  }

  private static SecretNodeConfig config(Path deploymentFile, Path dir, int account) {
    return new SecretNodeConfig(
        deploymentFile,
        dir,
        new SecretNodeConfig.Listen("127.0.0.1", 0),
        null,
        new SecretNodeConfig.Account(account, null),
        Secret.of("wetee-devnet-only"),
        new SecretNodeConfig.Release(true, null, null, null),
        null,
        new SecretNodeConfig.Dkg(true, true, 200L));
  }

  private static BigInteger big(long v) {
    return BigInteger.valueOf(v);
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Override
  public void close() {
    nodes.forEach(SecretNode::close);
  }
}
