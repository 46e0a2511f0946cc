package io.wetee.cli.secret;

import io.wetee.chain.ChainClient;
import io.wetee.chain.CommitteeInfo;
import io.wetee.cli.ChainAccess;
import io.wetee.cli.Output;
import io.wetee.common.Hex;
import io.wetee.secretnode.CommitteeKeys;
import io.wetee.secretnode.SecretClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code wetee committee status}: epoch, quorum, group key and the health of every member. */
@Command(
    name = "committee",
    mixinStandardHelpOptions = true,
    description = "The secret-node committee.",
    subcommands = {CommitteeCommand.Status.class})
public final class CommitteeCommand {
  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Epoch, members, quorum, group key, and each member's health.")
  static final class Status implements Runnable {
    @Spec CommandSpec spec;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Option(
        names = "--timeout-ms",
        defaultValue = "3000",
        description = "How long to wait for each member's health answer.")
    long timeoutMs;

    @Override
    public void run() {
      try (ChainClient c = ChainAccess.open(spec, false)) {
        CommitteeInfo info = c.committee().current();
        String groupKey =
            CommitteeKeys.active(c).map(k -> Hex.encode0x(k.key().groupKey().encode())).orElse("");
        List<SecretClient.Member> members = SecretClient.members(c);
        Map<String, String> health =
            SecretClient.create(Duration.ofMillis(timeoutMs)).health(members);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (SecretClient.Member m : members) {
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("address", m.address());
          row.put("endpoint", m.endpoint());
          row.put("health", health.get(m.address()));
          rows.add(row);
        }
        if (json) {
          Map<String, Object> out = new LinkedHashMap<>();
          out.put("epoch", info.epoch());
          out.put("quorum", info.quorum());
          out.put("groupKey", groupKey);
          out.put("members", rows);
          Output.json(spec, out);
          return;
        }
        Output.line(spec, "epoch      %d", info.epoch());
        Output.line(spec, "quorum     %d of %d", info.quorum(), members.size());
        Output.line(
            spec, "group key  %s", groupKey.isEmpty() ? "(none yet: DKG not done)" : groupKey);
        Output.line(spec, "%-42s %-28s %s", "MEMBER", "ENDPOINT", "HEALTH");
        rows.forEach(
            r ->
                Output.line(
                    spec, "%-42s %-28s %s", r.get("address"), r.get("endpoint"), r.get("health")));
      }
    }
  }
}
