package io.wetee.cli.app;

import io.wetee.chain.WorkloadKind;
import picocli.CommandLine.Command;

/** {@code wetee app ...}: a deployer's services. */
@Command(
    name = "app",
    mixinStandardHelpOptions = true,
    description =
        "Deploy and manage services (attested, paid per block, updated without downtime).",
    subcommands = {
      AppCommand.Deploy.class,
      AppCommand.ListApps.class,
      AppCommand.Show.class,
      AppCommand.Logs.class,
      AppCommand.Metrics.class,
      AppCommand.Update.class,
      AppCommand.Recharge.class,
      AppCommand.Stop.class,
      AppCommand.Refund.class,
      AppCommand.Attestation.class
    })
public final class AppCommand {
  private AppCommand() {}

  @Command(
      name = "deploy",
      mixinStandardHelpOptions = true,
      description = "Check a spec, then create the service on chain.")
  static final class Deploy extends AppCommands.Deploy {
    @Override
    WorkloadKind kind() {
      return WorkloadKind.SERVICE;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Your services.")
  static final class ListApps extends AppCommands.ListAll {
    @Override
    WorkloadKind kind() {
      return WorkloadKind.SERVICE;
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "A service: chain record, status, version, URL.")
  static final class Show extends AppCommands.Show {
    @Override
    WorkloadKind kind() {
      return WorkloadKind.SERVICE;
    }
  }

  @Command(
      name = "logs",
      mixinStandardHelpOptions = true,
      description = "The service's logs (owner-signed request).")
  static final class Logs extends AppCommands.Logs {
    @Override
    WorkloadKind kind() {
      return WorkloadKind.SERVICE;
    }
  }

  @Command(
      name = "metrics",
      mixinStandardHelpOptions = true,
      description = "CPU and memory samples (owner-signed request).")
  static final class Metrics extends AppCommands.Metrics {
    @Override
    WorkloadKind kind() {
      return WorkloadKind.SERVICE;
    }
  }

  @Command(
      name = "update",
      mixinStandardHelpOptions = true,
      description = "A new spec: version + 1, switched without downtime.")
  static final class Update extends AppCommands.Update {
    @Override
    WorkloadKind kind() {
      return WorkloadKind.SERVICE;
    }
  }

  @Command(name = "recharge", mixinStandardHelpOptions = true, description = "Add to the escrow.")
  static final class Recharge extends AppCommands.Recharge {
    @Override
    WorkloadKind kind() {
      return WorkloadKind.SERVICE;
    }
  }

  @Command(
      name = "stop",
      mixinStandardHelpOptions = true,
      description = "Stop the service; the unspent escrow is refunded.")
  static final class Stop extends AppCommands.Stop {
    @Override
    WorkloadKind kind() {
      return WorkloadKind.SERVICE;
    }
  }

  @Command(
      name = "refund",
      mixinStandardHelpOptions = true,
      description = "Withdraw the refunds of your workloads stopped as exhausted (apps and tasks).")
  static final class Refund extends AppCommands.Refund {
    @Override
    WorkloadKind kind() {
      return WorkloadKind.SERVICE;
    }
  }

  @Command(
      name = "attestation",
      mixinStandardHelpOptions = true,
      description = "The running instance's attestation document.")
  static final class Attestation extends AppCommands.Attestation {
    @Override
    WorkloadKind kind() {
      return WorkloadKind.SERVICE;
    }
  }
}
