package io.wetee.worker.spi;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a cluster runtime needs to know about an instance's workload beyond what to run: whose it is
 * (the Kubernetes runtime keeps one namespace per owner), whether it is a long-running service or a
 * task run, the TEE type it must run on (selects the runtime class), the spec hash (labels) and the
 * HTTP health path (readiness probe). The local runtime ignores it.
 *
 * @param kind service (kept running, updated in place) or task run (runs once)
 * @param owner the workload owner's address, {@code 0x} and 40 hex digits
 * @param teeType the TEE type the instance must run on ({@code TDX}, {@code SEV_SNP}, {@code
 *     SIMULATED}, ...)
 * @param specHash the keccak256 of the workload spec, {@code 0x} and 64 hex digits
 * @param healthPath the HTTP path that answers 2xx/3xx when the program is ready (absent: none)
 */
public record WorkloadMeta(
    Kind kind, String owner, String teeType, String specHash, Optional<String> healthPath) {
  private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");
  private static final Pattern HASH = Pattern.compile("0x[0-9a-fA-F]{64}");

  /** A service runs until stopped; a task run ends with its program. */
  public enum Kind {
    SERVICE,
    TASK
  }

  public WorkloadMeta {
    if (kind == null || teeType == null || teeType.isBlank()) {
      throw new IllegalArgumentException("kind and teeType are required");
    }
    if (owner == null || !ADDRESS.matcher(owner).matches()) {
      throw new IllegalArgumentException("owner must be 0x and 40 hex digits, got " + owner);
    }
    if (specHash == null || !HASH.matcher(specHash).matches()) {
      throw new IllegalArgumentException("specHash must be 0x and 64 hex digits, got " + specHash);
    }
    healthPath = healthPath == null ? Optional.empty() : healthPath;
    if (healthPath.isPresent() && !healthPath.get().startsWith("/")) {
      throw new IllegalArgumentException("healthPath must start with /: " + healthPath.get());
    }
  }
}
