package io.wetee.cli.attest;

import io.wetee.attestation.AttestationException;
import io.wetee.attestation.Collaterals;
import io.wetee.attestation.EvidenceType;
import io.wetee.attestation.EvidenceVerifier;
import io.wetee.attestation.Policy;
import io.wetee.attestation.Rejected;
import io.wetee.attestation.TcbStatus;
import io.wetee.attestation.TrustAnchors;
import io.wetee.attestation.VekSources;
import io.wetee.attestation.VerificationResult;
import io.wetee.attestation.Verified;
import io.wetee.cli.ExitCodes;
import io.wetee.cli.Output;
import io.wetee.cli.UsageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code wetee attest verify}: verifies one piece of evidence offline. Exit 0 when verified (and
 * the policy, if given, passes), 1 when rejected, 2 on usage errors. Without {@code --policy} any
 * TCB status and debug mode are accepted (they are printed), but SIMULATED evidence still needs a
 * policy that allows it.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = "Verify an SGX/TDX quote, an SEV-SNP report or a SIMULATED report.")
public final class VerifyCommand implements Callable<Integer> {
  /** The evidence types as the command line spells them. */
  public enum Type {
    auto(EvidenceType.AUTO),
    sgx(EvidenceType.SGX),
    tdx(EvidenceType.TDX),
    snp(EvidenceType.SEV_SNP),
    sim(EvidenceType.SIMULATED);

    final EvidenceType type;

    Type(EvidenceType type) {
      this.type = type;
    }
  }

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "EVIDENCE", description = "Evidence file, binary or hex.")
  Path evidence;

  @Option(names = "--type", description = "auto, sgx, tdx, snp or sim (default: auto).")
  Type type = Type.auto;

  @Option(
      names = "--collateral",
      paramLabel = "FILE_OR_DIR",
      description = "DCAP collateral: dcap-qvl JSON, or a directory of Intel PCS responses.")
  Path collateral;

  @Option(names = "--vek", paramLabel = "FILE", description = "SEV-SNP VCEK or VLEK (DER or PEM).")
  Path vek;

  @Option(
      names = "--ca",
      paramLabel = "FILE",
      description = "AMD ASK/ASVK (+ ARK) PEM chain; the ARK must be one of the pinned AMD roots.")
  Path ca;

  @Option(
      names = "--root",
      paramLabel = "FILE",
      description = "DCAP trust anchor (default: Intel SGX Root CA).")
  Path root;

  @Option(
      names = "--at",
      paramLabel = "UNIX_SECONDS",
      description = "Verification time (default: now).")
  Long at;

  @Option(names = "--policy", paramLabel = "FILE", description = "Policy, YAML or JSON.")
  Path policy;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() {
    byte[] bytes = read(evidence, "evidence");
    EvidenceVerifier verifier = verifier();
    Policy p = policy == null ? permissive() : load(policy);
    Instant when = at == null ? Instant.now() : Instant.ofEpochSecond(at);
    VerificationResult r = verifier.verify(bytes, type.type, p, when);
    if (json) {
      Output.json(spec, VerifyReport.of(r));
    } else {
      VerifyReport.print(spec, r);
    }
    return r instanceof Verified ? ExitCodes.OK : ExitCodes.FAILURE;
  }

  private EvidenceVerifier verifier() {
    try {
      EvidenceVerifier.Builder b = EvidenceVerifier.builder();
      if (collateral != null) {
        requireExists(collateral, "collateral");
        b.collateral(Collaterals.fromPath(collateral));
      }
      if (vek != null) {
        b.vekSource(VekSources.fixed(read(vek, "VEK")));
      }
      if (ca != null) {
        b.addAmdCaCerts(TrustAnchors.read(read(ca, "CA")));
      }
      if (root != null) {
        b.intelRootCa(TrustAnchors.read(read(root, "root")).get(0));
      }
      return b.build();
    } catch (AttestationException e) {
      throw new UsageException(e.getMessage());
    }
  }

  private static Policy permissive() {
    return Policy.defaults()
        .withAllowDebug(true)
        .withAcceptedTcbStatuses(List.of(TcbStatus.values()));
  }

  private static Policy load(Path file) {
    requireExists(file, "policy");
    try {
      return Policy.load(file);
    } catch (AttestationException e) {
      throw new UsageException(e.getMessage());
    }
  }

  private static void requireExists(Path p, String what) {
    if (!Files.exists(p)) {
      throw new UsageException(what + " not found: " + p);
    }
  }

  private static byte[] read(Path p, String what) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UsageException("cannot read " + what + " " + p + ": " + e.getMessage());
    }
  }

  /** Kept for symmetry with the JSON form: the rejection's stable code and name. */
  static String describe(Rejected r) {
    return r.reason().name() + " (" + r.code() + "): " + r.message();
  }
}
