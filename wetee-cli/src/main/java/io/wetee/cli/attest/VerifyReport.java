package io.wetee.cli.attest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.wetee.attestation.Rejected;
import io.wetee.attestation.VerificationResult;
import io.wetee.attestation.Verified;
import io.wetee.cli.Output;
import io.wetee.common.Hex;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The {@code --json} object of {@code wetee attest verify}: the verified claims, or the error with
 * its stable code. Absent fields are omitted.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record VerifyReport(
    boolean verified,
    String teeType,
    Integer quoteVersion,
    String status,
    List<String> advisoryIds,
    String qeStatus,
    String tdxModuleStatus,
    Boolean debug,
    Map<String, String> measurements,
    String reportData,
    String platformId,
    Problem error) {

  /** A rejection: {@code code} is the stable reason name, {@code number} its numeric code. */
  record Problem(String code, int number, String message) {}

  static VerifyReport of(VerificationResult r) {
    return switch (r) {
      case Verified v ->
          new VerifyReport(
              true,
              v.teeType().name(),
              v.quoteVersion(),
              v.status().name(),
              v.advisoryIds(),
              v.qeStatus().map(Enum::name).orElse(null),
              v.tdxModuleStatus().map(Enum::name).orElse(null),
              v.debug(),
              v.measurements(),
              Hex.encode(v.reportData()),
              Hex.encode(v.platformId()),
              null);
      case Rejected j ->
          new VerifyReport(
              false,
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              new Problem(j.reason().name(), j.code(), j.message()));
    };
  }

  static void print(CommandSpec spec, VerificationResult r) {
    switch (r) {
      case Verified v -> {
        Output.line(
            spec,
            "verified %s evidence v%d: %s%s",
            v.teeType(),
            v.quoteVersion(),
            v.status(),
            v.debug() ? " (DEBUG)" : "");
        v.qeStatus().ifPresent(s -> Output.line(spec, "  QE status:         %s", s));
        v.tdxModuleStatus().ifPresent(s -> Output.line(spec, "  TDX module status: %s", s));
        if (!v.advisoryIds().isEmpty()) {
          Output.line(spec, "  advisories:        %s", String.join(", ", v.advisoryIds()));
        }
        v.measurements().forEach((k, val) -> Output.line(spec, "  %-18s %s", k + ":", val));
        Output.line(spec, "  %-18s %s", "reportData:", Hex.encode(v.reportData()));
        Output.line(spec, "  %-18s %s", "platformId:", Hex.encode(v.platformId()));
      }
      case Rejected j -> Output.line(spec, "rejected: %s", VerifyCommand.describe(j));
    }
  }
}
