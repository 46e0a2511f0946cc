package io.wetee.cli;

import io.wetee.chain.ChainException;
import io.wetee.chain.ContractRevertedException;
import picocli.CommandLine;

/** Entry point of the {@code wetee} command line. The only place that calls {@code System.exit}. */
public final class Main {
  private Main() {}

  /**
   * Builds the command line with the project's exit-code mapping: usage errors 2, chain and RPC
   * errors (including reverts) 3, other failures 1; each printed as one line on stderr.
   */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new WeteeCommand());
    cli.getCommandSpec().exitCodeOnInvalidInput(ExitCodes.USAGE);
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          int code;
          String message;
          if (e instanceof UsageException || e instanceof IllegalArgumentException) {
            code = ExitCodes.USAGE;
            message = e.getMessage();
          } else if (e instanceof ContractRevertedException r) {
            code = ExitCodes.REMOTE;
            message = "the chain refused: " + r.error();
          } else if (e instanceof ChainException) {
            code = ExitCodes.REMOTE;
            message = e.getMessage();
          } else {
            code = ExitCodes.FAILURE;
            message = e.getClass().getSimpleName() + ": " + e.getMessage();
          }
          cmd.getErr().println("wetee: " + oneLine(message));
          cmd.getErr().flush();
          return code;
        });
    return cli;
  }

  private static String oneLine(String message) {
    if (message == null) {
      return "(no message)";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
