package io.wetee.attestation;

import io.wetee.attestation.spi.EvidenceProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Evidence from Gramine's {@code /dev/attestation} pseudo-files inside an SGX enclave.
 *
 * <p>Design notes: Gramine documentation, "Attestation and Secret Provisioning", low-level
 * /dev/attestation interface: {@code attestation_type} says "dcap" (or "epid", "none"); writing 64
 * bytes to {@code user_report_data} and then reading {@code quote} returns an SGX quote whose
 * REPORTDATA is those bytes. Only DCAP is supported. Access is serialised per provider instance
 * (the pseudo-files are process-global state).
 */
final class GramineProvider implements EvidenceProvider {
  private final Path dir;

  GramineProvider(Path dir) {
    this.dir = dir;
  }

  @Override
  public synchronized Evidence collect(byte[] reportData) {
    if (reportData.length != 64) {
      throw new AttestationException("report data must be 64 bytes");
    }
    try {
      Path typeFile = dir.resolve("attestation_type");
      String type =
          Files.exists(typeFile)
              ? Files.readString(typeFile, StandardCharsets.US_ASCII).strip()
              : "dcap";
      if (!type.equals("dcap")) {
        throw new AttestationException("Gramine attestation type is '" + type + "', not dcap");
      }
      Files.write(dir.resolve("user_report_data"), reportData);
      byte[] quote = Files.readAllBytes(dir.resolve("quote"));
      return new Evidence(EvidenceType.SGX, quote, new byte[0], "gramine-" + type);
    } catch (IOException e) {
      throw new AttestationException("Gramine /dev/attestation failed at " + dir + ": " + e, e);
    }
  }
}
