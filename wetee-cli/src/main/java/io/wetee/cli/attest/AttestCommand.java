package io.wetee.cli.attest;

import picocli.CommandLine.Command;

/** {@code wetee attest}: attestation evidence tools. */
@Command(
    name = "attest",
    mixinStandardHelpOptions = true,
    description = "Verify attestation evidence (SGX, TDX, SEV-SNP, SIMULATED).",
    subcommands = VerifyCommand.class)
public final class AttestCommand {}
