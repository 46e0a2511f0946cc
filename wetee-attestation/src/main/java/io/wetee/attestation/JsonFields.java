package io.wetee.attestation;

import com.fasterxml.jackson.databind.JsonNode;
import io.wetee.common.Hex;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** Typed access to fields of third-party JSON (Intel PCS); failures name the field. */
final class JsonFields {
  private JsonFields() {}

  private static EvidenceFormatException bad(String where, String name, String problem) {
    return new EvidenceFormatException(where + "." + name, -1, problem);
  }

  static String text(JsonNode n, String name, String where) {
    JsonNode v = n.get(name);
    if (v == null || !v.isTextual()) {
      throw bad(where, name, "missing or not a string");
    }
    return v.asText();
  }

  static int integer(JsonNode n, String name, String where) {
    JsonNode v = n.get(name);
    if (v == null || !v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 0) {
      throw bad(where, name, "missing or not a non-negative integer");
    }
    return v.asInt();
  }

  static byte[] hex(JsonNode n, String name, int len, String where) {
    String s = text(n, name, where);
    try {
      byte[] b = Hex.decode(s);
      if (b.length != len) {
        throw bad(where, name, "expected " + len + " bytes, got " + b.length);
      }
      return b;
    } catch (IllegalArgumentException e) {
      throw bad(where, name, e.getMessage());
    }
  }

  static Instant instant(JsonNode n, String name, String where) {
    try {
      return Instant.parse(text(n, name, where));
    } catch (DateTimeParseException e) {
      throw bad(where, name, "not an RFC 3339 instant");
    }
  }

  static List<JsonNode> array(JsonNode n, String name, String where) {
    JsonNode v = n.get(name);
    if (v == null || !v.isArray()) {
      throw bad(where, name, "missing or not an array");
    }
    List<JsonNode> out = new ArrayList<>();
    v.forEach(out::add);
    return out;
  }

  static List<String> strings(JsonNode n, String name) {
    List<String> out = new ArrayList<>();
    JsonNode v = n.get(name);
    if (v != null && v.isArray()) {
      v.forEach(e -> out.add(e.asText()));
    }
    return List.copyOf(out);
  }

  static TcbStatus status(JsonNode n, String where) {
    String s = text(n, "tcbStatus", where);
    return TcbStatus.fromName(s).orElseThrow(() -> bad(where, "tcbStatus", "unknown " + s));
  }
}
