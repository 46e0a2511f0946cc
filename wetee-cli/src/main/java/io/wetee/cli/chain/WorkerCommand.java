package io.wetee.cli.chain;

import io.wetee.chain.ChainClient;
import io.wetee.chain.WorkerInfo;
import io.wetee.chain.WorkerSpec;
import io.wetee.cli.Amounts;
import io.wetee.cli.ChainAccess;
import io.wetee.cli.Output;
import io.wetee.cli.UsageException;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code wetee worker ...}: a compute provider's worker on the Subnet contract. */
@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    description = "Register and manage workers (compute providers).",
    subcommands = {
      WorkerCommand.Register.class,
      WorkerCommand.Update.class,
      WorkerCommand.Stake.class,
      WorkerCommand.Unstake.class,
      WorkerCommand.Stop.class,
      WorkerCommand.Withdraw.class,
      WorkerCommand.ListWorkers.class,
      WorkerCommand.Show.class,
      io.wetee.cli.app.WorkerRun.class
    })
public final class WorkerCommand {
  static long checkedId(long id) {
    if (id < 0) {
      throw new UsageException("worker id must not be negative: " + id);
    }
    return id;
  }

  /** Checks an amount option is a positive amount, before any transaction. */
  static void positive(String amount) {
    if (Amounts.parse(amount).signum() == 0) {
      throw new UsageException("--amount must be more than zero");
    }
  }

  @Command(
      name = "register",
      mixinStandardHelpOptions = true,
      description = "Register a worker operated by your account.")
  static final class Register implements Runnable {
    @Spec CommandSpec spec;

    @ArgGroup(exclusive = false, multiplicity = "1")
    WorkerOptions worker;

    @Option(names = "--stake", description = "Also stake this amount (e.g. 1.5 or 2eth).")
    String stake;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public void run() {
      WorkerSpec ws = worker.toSpec();
      BigInteger amount = stake == null ? BigInteger.ZERO : Amounts.parse(stake);
      try (ChainClient c = ChainAccess.open(spec, true)) {
        long id = c.subnet().registerWorker(ws);
        if (amount.signum() > 0) {
          c.subnet().stakeWorker(id, amount);
        }
        if (json) {
          Output.json(spec, Map.of("workerId", id));
        } else {
          Output.line(
              spec,
              "registered worker %d%s",
              id,
              amount.signum() > 0 ? " and staked " + Amounts.format(amount) : "");
        }
      }
    }
  }

  @Command(
      name = "update",
      mixinStandardHelpOptions = true,
      description = "Update a worker's declaration.")
  static final class Update implements Runnable {
    @Spec CommandSpec spec;

    @Parameters(index = "0", description = "Worker id.")
    long id;

    @ArgGroup(exclusive = false, multiplicity = "1")
    WorkerOptions worker;

    @Override
    public void run() {
      WorkerSpec ws = worker.toSpec();
      try (ChainClient c = ChainAccess.open(spec, true)) {
        c.subnet().updateWorker(checkedId(id), ws);
        Output.line(spec, "updated worker %d", id);
      }
    }
  }

  @Command(name = "stake", mixinStandardHelpOptions = true, description = "Add stake to a worker.")
  static final class Stake extends IdTxCommand.Stake {
    @Override
    void stake(ChainClient c, long id, BigInteger wei) {
      c.subnet().stakeWorker(checkedId(id), wei);
    }

    @Override
    String what() {
      return "worker";
    }
  }

  @Command(
      name = "unstake",
      mixinStandardHelpOptions = true,
      description = "Release a stopped worker's stake after the cooldown.")
  static final class Unstake extends IdTxCommand {
    @Override
    String apply(ChainClient c, long id) {
      c.subnet().unstakeWorker(id);
      return "unstaked worker " + id + "; withdraw with: wetee worker withdraw";
    }
  }

  @Command(
      name = "stop",
      mixinStandardHelpOptions = true,
      description = "Stop taking new workloads (starts the cooldown).")
  static final class Stop extends IdTxCommand {
    @Override
    String apply(ChainClient c, long id) {
      c.subnet().stopWorker(id);
      return "stopped worker " + id;
    }
  }

  @Command(
      name = "withdraw",
      mixinStandardHelpOptions = true,
      description =
          "Withdraw your Subnet balance (unstaked funds) and, with --workloads, earnings.")
  static final class Withdraw implements Runnable {
    @Spec CommandSpec spec;

    @Option(
        names = "--workloads",
        split = ",",
        description = "Workload ids whose earnings to claim.")
    List<Long> workloads;

    @Override
    public void run() {
      try (ChainClient c = ChainAccess.open(spec, true)) {
        String me = c.account().orElseThrow();
        boolean any = false;
        if (workloads != null && !workloads.isEmpty()) {
          c.cloud().withdrawEarnings(workloads);
          any = true;
        }
        BigInteger balance = c.subnet().balanceOf(me);
        if (balance.signum() > 0) {
          c.subnet().withdraw();
          Output.line(spec, "withdrew %s from Subnet", Amounts.format(balance));
          any = true;
        }
        if (!any) {
          Output.line(spec, "nothing to withdraw");
        } else if (workloads != null && !workloads.isEmpty()) {
          Output.line(spec, "claimed earnings of workloads %s", workloads);
        }
      }
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List all workers.")
  static final class ListWorkers extends ReadCommand {
    @Override
    void read(ChainClient c) {
      List<WorkerInfo> all = c.subnet().workers();
      if (json) {
        Output.json(spec, all);
        return;
      }
      Output.line(
          spec,
          "%-4s %-16s %-8s %-6s %-5s %-18s %-12s %s",
          "ID",
          "NAME",
          "STATUS",
          "REGION",
          "LEVEL",
          "TEE",
          "STAKE",
          "ENDPOINT");
      for (WorkerInfo w : all) {
        Output.line(
            spec,
            "%-4d %-16s %-8s %-6d %-5d %-18s %-12s %s",
            w.id(),
            w.name(),
            w.active() ? "active" : w.status().name().toLowerCase(java.util.Locale.ROOT),
            w.regionId(),
            w.levelId(),
            w.teeTypes().stream().map(Enum::name).sorted().toList(),
            Amounts.format(w.stake()),
            w.endpoint());
      }
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one worker.")
  static final class Show extends ReadCommand {
    @Parameters(index = "0", description = "Worker id.")
    long id;

    @Override
    void read(ChainClient c) {
      WorkerInfo w = c.subnet().worker(checkedId(id));
      if (json) {
        Output.json(spec, w);
        return;
      }
      Output.line(
          spec, "worker %d  %s  (%s)", w.id(), w.name(), w.active() ? "active" : w.status());
      Output.line(spec, "  account   %s", w.account());
      Output.line(spec, "  endpoint  %s", w.endpoint());
      Output.line(spec, "  region %d, level %d, TEE %s", w.regionId(), w.levelId(), w.teeTypes());
      Output.line(spec, "  stake     %s", Amounts.format(w.stake()));
      Output.line(spec, "  capacity  %s", w.capacity());
      Output.line(spec, "  used      %s by %d workloads", w.used(), w.workloads());
    }
  }
}
