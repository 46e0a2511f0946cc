package io.wetee.cli.chain;

import io.wetee.chain.ChainClient;
import io.wetee.chain.SecretNodeInfo;
import io.wetee.cli.Amounts;
import io.wetee.cli.ChainAccess;
import io.wetee.cli.Output;
import io.wetee.cli.UsageException;
import io.wetee.common.Hex;
import io.wetee.crypto.CryptoException;
import io.wetee.crypto.Point;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code wetee secret-node ...}: committee candidates on the Subnet contract. */
@Command(
    name = "secret-node",
    mixinStandardHelpOptions = true,
    description = "Register and manage secret nodes (committee members).",
    subcommands = {
      SecretNodeCommand.Register.class,
      SecretNodeCommand.Stake.class,
      SecretNodeCommand.Leave.class,
      SecretNodeCommand.Unstake.class,
      SecretNodeCommand.ListNodes.class,
      io.wetee.cli.secret.SecretNodeRun.class
    })
public final class SecretNodeCommand {
  @Command(
      name = "register",
      mixinStandardHelpOptions = true,
      description = "Register a secret node operated by your account.")
  static final class Register implements Runnable {
    @Spec CommandSpec spec;

    @Option(names = "--endpoint", required = true, description = "Public URL of the node's API.")
    String endpoint;

    @Option(
        names = "--encryption-key",
        required = true,
        description =
            "33-byte compressed secp256k1 public key (hex) that DKG shares are encrypted to.")
    String encryptionKey;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public void run() {
      WorkerOptions.checkEndpoint(endpoint);
      byte[] key = checkedKey(encryptionKey);
      try (ChainClient c = ChainAccess.open(spec, true)) {
        long id = c.subnet().registerSecretNode(endpoint, key);
        if (json) {
          Output.json(spec, Map.of("nodeId", id));
        } else {
          Output.line(spec, "registered secret node %d", id);
        }
      }
    }
  }

  static byte[] checkedKey(String hex) {
    try {
      byte[] key = Hex.decode(hex);
      Point.decode(key);
      return key;
    } catch (IllegalArgumentException | CryptoException e) {
      throw new UsageException(
          "--encryption-key is not a compressed secp256k1 point: " + e.getMessage());
    }
  }

  @Command(
      name = "stake",
      mixinStandardHelpOptions = true,
      description = "Add stake to a secret node.")
  static final class Stake extends IdTxCommand.Stake {
    @Override
    void stake(ChainClient c, long id, BigInteger wei) {
      c.subnet().stakeSecretNode(WorkerCommand.checkedId(id), wei);
    }

    @Override
    String what() {
      return "secret node";
    }
  }

  @Command(
      name = "leave",
      mixinStandardHelpOptions = true,
      description = "Leave the network (starts the unstake cooldown).")
  static final class Leave extends IdTxCommand {
    @Override
    String apply(ChainClient c, long id) {
      c.subnet().leaveSecretNode(WorkerCommand.checkedId(id));
      return "secret node " + id + " left";
    }
  }

  @Command(
      name = "unstake",
      mixinStandardHelpOptions = true,
      description = "Release a node's stake after leaving and the cooldown.")
  static final class Unstake extends IdTxCommand {
    @Override
    String apply(ChainClient c, long id) {
      c.subnet().unstakeSecretNode(id);
      return "unstaked secret node " + id + "; withdraw with: wetee worker withdraw";
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List secret nodes.")
  static final class ListNodes extends ReadCommand {
    @Override
    void read(ChainClient c) {
      List<SecretNodeInfo> all = c.subnet().secretNodes();
      if (json) {
        Output.json(spec, all.stream().map(SecretNodeCommand::view).toList());
        return;
      }
      Output.line(spec, "%-4s %-7s %-42s %-12s %s", "ID", "STATUS", "ACCOUNT", "STAKE", "ENDPOINT");
      for (SecretNodeInfo n : all) {
        Output.line(
            spec,
            "%-4d %-7s %-42s %-12s %s",
            n.id(),
            n.status(),
            n.account(),
            Amounts.format(n.stake()),
            n.endpoint());
      }
    }
  }

  static Map<String, Object> view(SecretNodeInfo n) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", n.id());
    m.put("account", n.account());
    m.put("status", n.status());
    m.put("leftAt", n.leftAt());
    m.put("stake", n.stake());
    m.put("endpoint", n.endpoint());
    m.put("encryptionKey", Hex.encode0x(n.encryptionKey()));
    return m;
  }
}
