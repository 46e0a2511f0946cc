package io.wetee.cli;

import picocli.CommandLine;

/** Entry point of the {@code wetee} command line. The only place that calls {@code System.exit}. */
public final class Main {
  private Main() {}

  /** Builds the command line with the project's exit-code mapping. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new WeteeCommand());
    cli.setExitCodeExceptionMapper(t -> ExitCodes.FAILURE);
    cli.getCommandSpec().exitCodeOnInvalidInput(ExitCodes.USAGE);
    cli.getCommandSpec().exitCodeOnExecutionException(ExitCodes.FAILURE);
    return cli;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
