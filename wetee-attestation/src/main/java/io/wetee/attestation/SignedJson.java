package io.wetee.attestation;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.wetee.common.Hex;
import io.wetee.common.Json;
import java.io.IOException;
import java.util.Arrays;

/**
 * Extracts the exact bytes of a signed member of an Intel PCS response.
 *
 * <p>Design notes: Intel PCS API v4, "Get TCB Info" / "Get QE Identity": the response is {@code
 * {"tcbInfo":{...},"signature":"<hex r||s>"}} (or {@code enclaveIdentity}), and the ECDSA signature
 * covers the bytes of the member's value exactly as sent, so the value is cut out of the raw bytes
 * by the parser's byte offsets, never re-serialised.
 */
final class SignedJson {
  private SignedJson() {}

  /** The signed body and its signature. */
  @SuppressWarnings("ArrayRecordComponent") // internal value
  record Part(byte[] body, byte[] signature) {}

  static Part extract(byte[] json, String member) {
    byte[] body = null;
    byte[] sig = null;
    try (JsonParser p = Json.lenient().getFactory().createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new EvidenceFormatException(member, 0, "not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        if (name.equals(member) && t == JsonToken.START_OBJECT) {
          int start = (int) p.currentTokenLocation().getByteOffset();
          p.skipChildren();
          int end = (int) p.currentLocation().getByteOffset();
          body = Arrays.copyOfRange(json, start, end);
        } else if (name.equals("signature") && t == JsonToken.VALUE_STRING) {
          sig = Hex.decode(p.getText());
        } else {
          p.skipChildren();
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new EvidenceFormatException(member, -1, "invalid JSON: " + e.getMessage());
    }
    if (body == null || sig == null) {
      throw new EvidenceFormatException(member, -1, "missing member or signature");
    }
    return new Part(body, sig);
  }
}
