package io.wetee.cli.chain;

import io.wetee.chain.ChainClient;
import io.wetee.cli.ChainAccess;
import io.wetee.cli.Output;
import io.wetee.cli.UsageException;
import picocli.CommandLine.Model.CommandSpec;
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
}
