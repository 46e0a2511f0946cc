package io.wetee.cli.app;

import io.wetee.chain.WorkloadKind;
import picocli.CommandLine.Command;

/** {@code wetee task ...}: a deployer's jobs, run once or every N blocks and paid per run. */
@Command(
    name = "task",
    mixinStandardHelpOptions = true,
    description = "Run and manage tasks (attested jobs, paid per run).",
    subcommands = {
      TaskCommand.Run.class,
      TaskCommand.ListTasks.class,
      TaskCommand.Show.class,
      TaskCommand.Logs.class,
      TaskCommand.Rerun.class,
      TaskCommand.Stop.class
    })
public final class TaskCommand {
  private TaskCommand() {}

  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description = "Check a spec, then create the task on chain.")
  static final class Run extends AppCommands.Deploy {
    @Override
    WorkloadKind kind() {
      return WorkloadKind.TASK;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Your tasks.")
  static final class ListTasks extends AppCommands.ListAll {
    @Override
    WorkloadKind kind() {
      return WorkloadKind.TASK;
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "A task: chain record, last run, status.")
  static final class Show extends AppCommands.Show {
    @Override
    WorkloadKind kind() {
      return WorkloadKind.TASK;
    }
  }

  @Command(
      name = "logs",
      mixinStandardHelpOptions = true,
      description = "The last run's logs (owner-signed request).")
  static final class Logs extends AppCommands.Logs {
    @Override
    WorkloadKind kind() {
      return WorkloadKind.TASK;
    }
  }

  @Command(
      name = "rerun",
      mixinStandardHelpOptions = true,
      description = "Schedule another run now.")
  static final class Rerun extends AppCommands.Rerun {
    @Override
    WorkloadKind kind() {
      return WorkloadKind.TASK;
    }
  }

  @Command(
      name = "stop",
      mixinStandardHelpOptions = true,
      description = "Stop the task; the unspent escrow is refunded.")
  static final class Stop extends AppCommands.Stop {
    @Override
    WorkloadKind kind() {
      return WorkloadKind.TASK;
    }
  }
}
