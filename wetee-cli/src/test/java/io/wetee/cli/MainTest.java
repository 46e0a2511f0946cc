package io.wetee.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The root command line: which subcommands it registers for which arguments. */
class MainTest {
  @Test
  void namesTheFirstArgumentThatIsNoRootOptionNorItsValue() {
    assertThat(Main.subcommandName("app", "deploy", "x.yaml")).isEqualTo("app");
    assertThat(Main.subcommandName("--account", "1", "--deployment", "d.json", "task", "list"))
        .isEqualTo("task");
    assertThat(Main.subcommandName("--deployment=d.json", "secret", "put")).isEqualTo("secret");
    assertThat(Main.subcommandName("--help")).isNull();
    assertThat(Main.subcommandName("--account", "app")).isNull();
    assertThat(Main.subcommandName()).isNull();
  }

  @Test
  void registersOnlyTheNamedSubcommand() {
    assertThat(Main.commandLine("--account", "1", "app", "deploy", "x.yaml").getSubcommands())
        .containsOnlyKeys("app");
  }

  @Test
  void registersAllForHelpAndForUnknownNames() {
    assertThat(Main.commandLine("--help").getSubcommands())
        .containsKeys("devnet", "app", "task", "secret", "committee", "attest", "worker");
    assertThat(Main.commandLine("apps", "deploy").getSubcommands()).hasSize(10);
    CliRun r = CliRun.of("apps", "list");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("Unmatched argument").contains("app");
  }

  @Test
  void theLazyCommandLineStillRunsItsCommand() {
    CliRun r = CliRun.of("app", "deploy", "--help");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("Usage: wetee app deploy");
  }
}
