package io.wetee.attestation;

import io.wetee.attestation.spi.EvidenceProvider;
import java.nio.file.Path;
import java.time.Clock;

/** Factory of {@link EvidenceProvider}s for the agent. */
public final class EvidenceProviders {
  /** Where Linux mounts configfs-tsm reports. */
  public static final Path CONFIGFS_TSM = Path.of("/sys/kernel/config/tsm/report");

  /** Gramine's attestation pseudo-files. */
  public static final Path GRAMINE = Path.of("/dev/attestation");

  private EvidenceProviders() {}

  /** configfs-tsm (TDX and SEV-SNP guests) at {@link #CONFIGFS_TSM}. */
  public static EvidenceProvider configfsTsm() {
    return configfsTsm(CONFIGFS_TSM, "wetee-" + ProcessHandle.current().pid());
  }

  /** configfs-tsm at {@code root}, using (or creating) the report entry {@code entry}. */
  public static EvidenceProvider configfsTsm(Path root, String entry) {
    return new ConfigfsTsmProvider(root, entry);
  }

  /** Gramine's {@code /dev/attestation} (SGX, DCAP). */
  public static EvidenceProvider gramine() {
    return gramine(GRAMINE);
  }

  /** Gramine's attestation files under {@code dir}. */
  public static EvidenceProvider gramine(Path dir) {
    return new GramineProvider(dir);
  }

  /**
   * SIMULATED evidence from a software platform: development only, never accepted unless the
   * verifier's policy allows simulated evidence.
   */
  public static EvidenceProvider simulated(
      SimulatedPlatform platform, byte[] measurement, Clock clock) {
    byte[] m = measurement.clone();
    return reportData ->
        new Evidence(
            EvidenceType.SIMULATED,
            platform.report(m, reportData, false, clock.instant()),
            new byte[0],
            "simulated");
  }
}
