package io.wetee.attestation;

import io.wetee.attestation.spi.CollateralSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Factory of {@link CollateralSource}s over local files. */
public final class Collaterals {
  private Collaterals() {}

  /**
   * Collateral from a path: a dcap-qvl {@code QuoteCollateralV3} JSON file, or a directory of Intel
   * PCS v4 responses as separate files (recognised by content, see the module README).
   */
  public static CollateralSource fromPath(Path path) {
    if (Files.isDirectory(path)) {
      return new DirectoryCollateral(path);
    }
    try {
      DcapCollateral c = DcapCollateral.fromDcapQvlJson(Files.readAllBytes(path));
      return fixed(c);
    } catch (IOException e) {
      throw new AttestationException("cannot read collateral " + path, e);
    } catch (EvidenceFormatException e) {
      throw new AttestationException("not dcap-qvl collateral: " + path + ": " + e.getMessage(), e);
    }
  }

  /** The same collateral for every request. */
  public static CollateralSource fixed(DcapCollateral collateral) {
    return req -> Optional.of(collateral);
  }
}
