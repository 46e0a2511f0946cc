package io.wetee.attestation;

import com.fasterxml.jackson.databind.JsonNode;
import io.wetee.common.Json;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Parses signed JSON bodies in tests the way the verifier does. */
final class CheckedCollateralTestAccess {
  private CheckedCollateralTestAccess() {}

  static JsonNode tree(byte[] body) {
    try {
      return Json.lenient().readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
