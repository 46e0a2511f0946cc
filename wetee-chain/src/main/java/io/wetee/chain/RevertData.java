package io.wetee.chain;

import com.fasterxml.jackson.databind.JsonNode;
import io.wetee.common.Json;
import java.io.IOException;
import java.util.Optional;
import org.web3j.protocol.core.Response;

/**
 * Finds revert data in a JSON-RPC error. Nodes differ: geth and Besu put the hex string in {@code
 * error.data}; Hardhat 2 nests it as {@code error.data.data}; some proxies quote it. Anything that
 * is not hex-encoded revert data yields empty.
 */
final class RevertData {
  private RevertData() {}

  static Optional<String> of(Response.Error error) {
    String data = error.getData();
    if (data == null || data.isBlank()) {
      return Optional.empty();
    }
    String d = data.strip();
    if (d.startsWith("\"")) {
      d = d.substring(1, Math.max(1, d.length() - 1));
    }
    if (d.startsWith("0x")) {
      return d.length() >= 10 ? Optional.of(d) : Optional.empty();
    }
    if (d.startsWith("{")) {
      try {
        JsonNode node = Json.lenient().readTree(d).path("data");
        if (node.isTextual() && node.asText().startsWith("0x") && node.asText().length() >= 10) {
          return Optional.of(node.asText());
        }
      } catch (IOException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }
}
