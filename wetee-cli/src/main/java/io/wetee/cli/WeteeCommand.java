package io.wetee.cli;

import picocli.CommandLine.Command;

/**
 * The root {@code wetee} command. Subcommands are registered here; each maps its failures to the
 * exit codes of {@link ExitCodes}.
 */
@Command(
    name = "wetee",
    mixinStandardHelpOptions = true,
    version = "wetee 0.1.0",
    description = "WeTEE: a decentralized confidential cloud.",
    subcommands = {})
public final class WeteeCommand {}
