package io.wetee.cli.chain;

import io.wetee.chain.ChainClient;
import io.wetee.cli.Amounts;
import io.wetee.cli.Output;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;

/** {@code wetee chain ...}: the chain the deployment points at. */
@Command(
    name = "chain",
    mixinStandardHelpOptions = true,
    description = "Chain status.",
    subcommands = ChainCommand.Status.class)
public final class ChainCommand {
  /** {@code wetee chain status}. */
  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Chain id, head block, contracts, account.")
  static final class Status extends ReadCommand {
    @Override
    void read(ChainClient c) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("chainId", c.chainId());
      s.put("rpcUrl", c.deployment().rpcUrl());
      s.put("blockNumber", c.blockNumber());
      s.put("contracts", new TreeMap<>(c.deployment().contracts()));
      s.put("settleInterval", c.cloud().settleInterval());
      s.put("feeBps", c.cloud().feeBps());
      c.account()
          .ifPresent(
              a -> {
                s.put("account", a);
                s.put("balance", c.balance(a));
              });
      if (json) {
        Output.json(spec, s);
        return;
      }
      Output.line(spec, "chain id        %s", s.get("chainId"));
      Output.line(spec, "rpc             %s", s.get("rpcUrl"));
      Output.line(spec, "block           %s", s.get("blockNumber"));
      c.deployment().contracts().entrySet().stream()
          .sorted(Map.Entry.comparingByKey())
          .forEach(e -> Output.line(spec, "%-15s %s", e.getKey(), e.getValue()));
      Output.line(
          spec,
          "settle interval %s blocks, platform fee %s bps",
          s.get("settleInterval"),
          s.get("feeBps"));
      c.account()
          .ifPresent(
              a -> Output.line(spec, "account         %s (%s)", a, Amounts.format(c.balance(a))));
    }
  }
}
