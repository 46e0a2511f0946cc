package io.wetee.cli;

import io.wetee.cli.chain.ChainCommand;
import io.wetee.cli.chain.SecretNodeCommand;
import io.wetee.cli.chain.SubnetCommand;
import io.wetee.cli.chain.WorkerCommand;
import io.wetee.cli.devnet.DevnetCommand;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The root {@code wetee} command. Holds the options every chain command shares (inherited, so they
 * may be given before or after the subcommand). Its subcommands are listed in {@link #SUBCOMMANDS}
 * and registered by {@link Main#commandLine(String...)}: all of them for help and for a name it
 * does not know, only the one named otherwise (picocli builds the model of every registered command
 * by reflection, about half a second for all of them on a small machine; see {@link Main}).
 */
@Command(
    name = "wetee",
    mixinStandardHelpOptions = true,
    version = "wetee 0.1.0",
    description = "WeTEE: a decentralized confidential cloud.")
public final class WeteeCommand {
  /** The subcommands, in the order of the usage help. */
  static final List<Class<?>> SUBCOMMANDS =
      List.of(
          DevnetCommand.class,
          ChainCommand.class,
          WorkerCommand.class,
          SecretNodeCommand.class,
          SubnetCommand.class,
          io.wetee.cli.secret.SecretCommand.class,
          io.wetee.cli.secret.CommitteeCommand.class,
          io.wetee.cli.attest.AttestCommand.class,
          io.wetee.cli.app.AppCommand.class,
          io.wetee.cli.app.TaskCommand.class);

  /** Options of this command that take a value (the name of a subcommand comes after them). */
  static final Set<String> VALUED_OPTIONS = Set.of("--deployment", "--key-file", "--account");

  @Option(
      names = "--deployment",
      scope = ScopeType.INHERIT,
      description = "Deployment file (default: $WETEE_DEPLOYMENT, else the running devnet's).")
  Path deployment;

  @Option(
      names = "--key-file",
      scope = ScopeType.INHERIT,
      description = "File holding the hex private key to sign with (default: $WETEE_PRIVATE_KEY).")
  Path keyFile;

  @Option(
      names = "--account",
      scope = ScopeType.INHERIT,
      description = "Sign with development account N of the deployment (devnet only).")
  Integer account;
}
