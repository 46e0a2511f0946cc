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
    return commandLine(new String[0]);
  }

  /**
   * The command line for these arguments: with only the subcommand they name registered when they
   * name one (picocli's model of all ~70 commands costs about half a second to build, and its
   * classes cannot be in the launcher's AOT cache), with all of them otherwise (usage help,
   * suggestions for a mistyped name).
   */
  public static CommandLine commandLine(String... args) {
    CommandLine cli = new CommandLine(new WeteeCommand());
    String named = subcommandName(args);
    for (Class<?> c : WeteeCommand.SUBCOMMANDS) {
      if (named == null || named.equals(c.getAnnotation(CommandLine.Command.class).name())) {
        cli.addSubcommand(c);
      }
    }
    if (named != null && cli.getSubcommands().isEmpty()) {
      WeteeCommand.SUBCOMMANDS.forEach(cli::addSubcommand);
    }
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

  /** The first argument that is neither an option of the root command nor its value. */
  static String subcommandName(String... args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (WeteeCommand.VALUED_OPTIONS.contains(a)) {
        i++;
      } else if (!a.startsWith("-")) {
        return a;
      } else if (a.equals("--")) {
        return null;
      }
    }
    return null;
  }

  private static String oneLine(String message) {
    if (message == null) {
      return "(no message)";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  public static void main(String[] args) {
    System.exit(commandLine(args).execute(args));
  }
}
