package io.wetee.attestation;

import io.wetee.attestation.spi.EvidenceProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Evidence from the Linux configfs-tsm interface ({@code /sys/kernel/config/tsm/report}).
 *
 * <p>Design notes: Linux Documentation/ABI/testing/configfs-tsm-report: create a report entry
 * (mkdir), write the 64 bytes of report data to {@code inblob}, read {@code outblob} (the quote or
 * report), {@code auxblob} (SEV-SNP certificate table, optional) and {@code provider}; {@code
 * generation} counts writes to the entry, so it is read before and after and a change (another
 * writer raced us) means the outblob may not be ours: retry. The entry is removed afterwards when
 * this provider created it. Access is serialised per provider instance.
 */
final class ConfigfsTsmProvider implements EvidenceProvider {
  private static final int ATTEMPTS = 3;
  private final Path root;
  private final String entry;

  ConfigfsTsmProvider(Path root, String entry) {
    this.root = root;
    this.entry = entry;
  }

  @Override
  public synchronized Evidence collect(byte[] reportData) {
    if (reportData.length != 64) {
      throw new AttestationException("report data must be 64 bytes");
    }
    Path dir = root.resolve(entry);
    boolean created = false;
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectory(dir);
        created = true;
      }
      for (int i = 0; i < ATTEMPTS; i++) {
        Files.write(dir.resolve("inblob"), reportData);
        long before = generation(dir);
        byte[] out = Files.readAllBytes(dir.resolve("outblob"));
        Path aux = dir.resolve("auxblob");
        byte[] auxBytes = Files.exists(aux) ? Files.readAllBytes(aux) : new byte[0];
        String provider =
            Files.readString(dir.resolve("provider"), StandardCharsets.US_ASCII).strip();
        if (generation(dir) == before) {
          return new Evidence(typeOf(provider, out), out, auxBytes, provider);
        }
      }
      throw new AttestationException("configfs-tsm report entry kept changing under " + dir);
    } catch (IOException e) {
      throw new AttestationException("configfs-tsm report failed at " + dir + ": " + e, e);
    } finally {
      if (created) {
        try {
          Files.deleteIfExists(dir);
        } catch (IOException e) {
          // The kernel frees the entry with the process; nothing else to do.
        }
      }
    }
  }

  private static long generation(Path dir) throws IOException {
    String g = Files.readString(dir.resolve("generation"), StandardCharsets.US_ASCII).strip();
    try {
      return Long.parseLong(g);
    } catch (NumberFormatException e) {
      throw new AttestationException("configfs-tsm generation is not a number: " + g, e);
    }
  }

  private static EvidenceType typeOf(String provider, byte[] out) {
    if (provider.startsWith("tdx")) {
      return EvidenceType.TDX;
    }
    if (provider.startsWith("sev")) {
      return EvidenceType.SEV_SNP;
    }
    try {
      return EvidenceFormats.detect(out);
    } catch (Reject r) {
      throw new AttestationException(
          "configfs-tsm provider " + provider + " gave unknown evidence");
    }
  }
}
