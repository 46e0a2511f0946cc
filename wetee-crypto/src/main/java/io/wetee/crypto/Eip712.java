package io.wetee.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * EIP-712 typed structured data hashing.
 *
 * <p>Design notes. Follows EIP-712 "Specification": {@code encodeType} is the primary type's member
 * list followed by every referenced struct type, deduplicated and sorted by name; {@code
 * hashStruct(s) = keccak256(typeHash || encodeData(s))}; the signed digest is {@code keccak256(0x19
 * 0x01 || domainSeparator || hashStruct(message))} (EIP-191 version 0x01). Supported member types:
 * {@code uint8..uint256}, {@code int8..int256}, {@code address}, {@code bool}, {@code bytes32},
 * {@code string}, {@code bytes} and nested structs; no arrays.
 */
public final class Eip712 {
  private Eip712() {}

  /**
   * The full {@code encodeType} string.
   *
   * @throws InvalidInputException with {@link Reason#INVALID_ARGUMENT} if two different structs
   *     share a type name
   */
  public static String encodeType(Eip712Struct struct) {
    Map<String, String> referenced = new TreeMap<>();
    collect(struct, referenced);
    String primary = referenced.remove(struct.typeName());
    return primary + String.join("", referenced.values());
  }

  /** keccak256 of {@link #encodeType}. */
  public static Bytes32 typeHash(Eip712Struct struct) {
    return Keccak.hash(encodeType(struct).getBytes(StandardCharsets.UTF_8));
  }

  /** {@code hashStruct(s) = keccak256(typeHash || encodeData(s))}. */
  public static Bytes32 hashStruct(Eip712Struct struct) {
    byte[][] words = new byte[struct.fields().size() + 1][];
    words[0] = typeHash(struct).toBytes();
    for (int i = 0; i < struct.fields().size(); i++) {
      words[i + 1] = struct.fields().get(i).value().encodeWord();
    }
    return Keccak.hash(words);
  }

  /** {@code keccak256(0x19 0x01 || domainSeparator || hashStruct(message))}. */
  public static Bytes32 digest(Eip712Domain domain, Eip712Struct message) {
    return Keccak.hash(
        new byte[] {0x19, 0x01}, domain.separator().toBytes(), hashStruct(message).toBytes());
  }

  private static void collect(Eip712Struct struct, Map<String, String> out) {
    String signature = struct.memberSignature();
    String known = out.putIfAbsent(struct.typeName(), signature);
    if (known != null) {
      if (!known.equals(signature)) {
        throw new InvalidInputException(
            Reason.INVALID_ARGUMENT, "two definitions of struct " + struct.typeName());
      }
      return;
    }
    for (Eip712Struct.Field f : struct.fields()) {
      if (f.value() instanceof Eip712Value.Struct(Eip712Struct nested)) {
        collect(nested, out);
      }
    }
  }
}
