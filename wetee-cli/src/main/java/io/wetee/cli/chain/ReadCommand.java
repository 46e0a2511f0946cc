package io.wetee.cli.chain;

import io.wetee.chain.ChainClient;
import io.wetee.cli.ChainAccess;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** A read-only command: opens a client without requiring a key and offers {@code --json}. */
abstract class ReadCommand implements Runnable {
  @Spec CommandSpec spec;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  /** Validates options before any remote call; the default accepts everything. */
  void validate() {}

  /** Reads and prints, as JSON when {@link #json} is set. */
  abstract void read(ChainClient chain);

  @Override
  public final void run() {
    validate();
    try (ChainClient c = ChainAccess.open(spec, false)) {
      read(c);
    }
  }
}
