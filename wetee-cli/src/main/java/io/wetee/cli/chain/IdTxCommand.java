package io.wetee.cli.chain;

import io.wetee.chain.ChainClient;
import io.wetee.cli.Amounts;
import io.wetee.cli.ChainAccess;
import io.wetee.cli.Output;
import io.wetee.cli.UsageException;
import java.math.BigInteger;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** A command that sends one transaction about one id (worker or node) and says what it did. */
abstract class IdTxCommand implements Runnable {
  @Spec CommandSpec spec;

  @Parameters(index = "0", description = "Id.")
  long id;

  /** Sends the transaction and returns the line to print. */
  abstract String apply(ChainClient chain, long id);

  /** Validates options before any transaction; the default accepts everything. */
  void validate() {}

  @Override
  public final void run() {
    if (id < 0) {
      throw new UsageException("id must not be negative: " + id);
    }
    validate();
    try (ChainClient c = ChainAccess.open(spec, true)) {
      Output.line(spec, apply(c, id));
    }
  }

  /** Adds stake to the id: {@code --amount} is parsed and must be more than zero. */
  abstract static class Stake extends IdTxCommand {
    @Option(
        names = "--amount",
        required = true,
        description = "Amount, e.g. 1.5 or 2eth or 100gwei.")
    String amount;

    private BigInteger wei;

    /** Sends the stake transaction. */
    abstract void stake(ChainClient chain, long id, BigInteger wei);

    /** What was staked on, e.g. {@code worker}. */
    abstract String what();

    @Override
    final void validate() {
      wei = Amounts.parse(amount);
      if (wei.signum() == 0) {
        throw new UsageException("--amount must be more than zero");
      }
    }

    @Override
    final String apply(ChainClient chain, long id) {
      stake(chain, id, wei);
      return "staked " + Amounts.format(wei) + " on " + what() + " " + id;
    }
  }
}
