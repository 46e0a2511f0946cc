package io.wetee.attestation;

import com.fasterxml.jackson.databind.JsonNode;
import io.wetee.common.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;

/** The shared test vectors (shared/testdata/attestation) and their oracle, expected.json. */
final class Vectors {
  static final Path DIR = locate();
  static final JsonNode EXPECTED = readJson("expected.json");

  private Vectors() {}

  private static Path locate() {
    String prop = System.getProperty("wetee.attestation.testdata");
    if (prop != null) {
      return Path.of(prop);
    }
    Path p = Path.of("").toAbsolutePath();
    while (p != null) {
      Path candidate = p.resolve("shared/testdata/attestation");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
      p = p.getParent();
    }
    throw new IllegalStateException("shared/testdata/attestation not found above the module");
  }

  static Path path(String rel) {
    return DIR.resolve(rel);
  }

  static byte[] bytes(String rel) {
    try {
      return Files.readAllBytes(path(rel));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode readJson(String rel) {
    try {
      return Json.lenient().readTree(path(rel).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode dcapCase(String idPrefix) {
    for (JsonNode c : EXPECTED.get("dcap_cases")) {
      if (c.get("id").asText().startsWith(idPrefix)) {
        return c;
      }
    }
    throw new IllegalArgumentException(idPrefix);
  }

  static JsonNode snpCase(String idPrefix) {
    for (JsonNode c : EXPECTED.get("snp_cases")) {
      if (c.get("id").asText().startsWith(idPrefix)) {
        return c;
      }
    }
    throw new IllegalArgumentException(idPrefix);
  }

  static JsonNode quote(String rel) {
    return EXPECTED.get("dcap_quotes").get(rel);
  }

  static Instant now(JsonNode c) {
    return Instant.ofEpochSecond(c.get("now").asLong());
  }

  static X509Certificate cert(String rel) {
    return TrustAnchors.read(bytes(rel)).get(0);
  }

  static DcapCollateral dcapQvl(String rel) {
    return DcapCollateral.fromDcapQvlJson(bytes(rel));
  }

  static byte[] flip(byte[] b, int offset, int xor) {
    byte[] c = b.clone();
    c[offset] ^= (byte) xor;
    return c;
  }

  static byte[] set(byte[] b, int offset, int value) {
    byte[] c = b.clone();
    c[offset] = (byte) value;
    return c;
  }
}
