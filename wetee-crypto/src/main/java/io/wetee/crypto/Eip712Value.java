package io.wetee.crypto;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A typed EIP-712 member value. Atomic types encode to one 32-byte word; {@code string} and {@code
 * bytes} to the keccak256 of their content; a nested struct to its {@code hashStruct} (EIP-712
 * "Definition of encodeData"). Arrays are not supported.
 */
public sealed interface Eip712Value
    permits Eip712Value.Uint,
        Eip712Value.Int,
        Eip712Value.AddressValue,
        Eip712Value.Bool,
        Eip712Value.Bytes32Value,
        Eip712Value.Str,
        Eip712Value.DynamicBytes,
        Eip712Value.Struct {

  /** The Solidity type name as it appears in {@code encodeType}. */
  String typeName();

  /** The 32-byte {@code encodeData} word of this value. */
  byte[] encodeWord();

  /** {@code uintN}, N in 8..256 step 8. */
  record Uint(int bits, BigInteger value) implements Eip712Value {
    public Uint {
      checkBits(bits);
      if (value.signum() < 0 || value.bitLength() > bits) {
        throw new InvalidInputException(Reason.VALUE_OUT_OF_RANGE, "does not fit uint" + bits);
      }
    }

    @Override
    public String typeName() {
      return "uint" + bits;
    }

    @Override
    public byte[] encodeWord() {
      return Bytes.unsigned(value, 32);
    }
  }

  /** {@code intN}, N in 8..256 step 8; encoded sign-extended to 256 bits. */
  record Int(int bits, BigInteger value) implements Eip712Value {
    public Int {
      checkBits(bits);
      if (value.bitLength() > bits - 1) {
        throw new InvalidInputException(Reason.VALUE_OUT_OF_RANGE, "does not fit int" + bits);
      }
    }

    @Override
    public String typeName() {
      return "int" + bits;
    }

    @Override
    public byte[] encodeWord() {
      byte[] twos = value.toByteArray();
      byte[] out = new byte[32];
      Arrays.fill(out, value.signum() < 0 ? (byte) 0xFF : 0);
      System.arraycopy(twos, 0, out, 32 - twos.length, twos.length);
      return out;
    }
  }

  /** {@code address}, left-padded to 32 bytes. */
  record AddressValue(Address value) implements Eip712Value {
    public AddressValue {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public String typeName() {
      return "address";
    }

    @Override
    public byte[] encodeWord() {
      return value.toWord();
    }
  }

  /** {@code bool}: 0 or 1 as uint256. */
  record Bool(boolean value) implements Eip712Value {
    @Override
    public String typeName() {
      return "bool";
    }

    @Override
    public byte[] encodeWord() {
      byte[] out = new byte[32];
      out[31] = (byte) (value ? 1 : 0);
      return out;
    }
  }

  /** {@code bytes32}, the word itself. */
  record Bytes32Value(Bytes32 value) implements Eip712Value {
    public Bytes32Value {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public String typeName() {
      return "bytes32";
    }

    @Override
    public byte[] encodeWord() {
      return value.toBytes();
    }
  }

  /** {@code string}: keccak256 of the UTF-8 bytes. */
  record Str(String value) implements Eip712Value {
    public Str {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public String typeName() {
      return "string";
    }

    @Override
    public byte[] encodeWord() {
      return Keccak.keccak256(value.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** {@code bytes}: keccak256 of the content; the content is held as its hash only. */
  record DynamicBytes(Bytes32 contentHash) implements Eip712Value {
    public DynamicBytes {
      Objects.requireNonNull(contentHash, "contentHash");
    }

    /** Hashes {@code content} now; the value keeps no reference to it. */
    public static DynamicBytes of(byte[] content) {
      return new DynamicBytes(Keccak.hash(content));
    }

    @Override
    public String typeName() {
      return "bytes";
    }

    @Override
    public byte[] encodeWord() {
      return contentHash.toBytes();
    }
  }

  /** A nested struct: encoded as its {@code hashStruct}. */
  record Struct(Eip712Struct value) implements Eip712Value {
    public Struct {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public String typeName() {
      return value.typeName();
    }

    @Override
    public byte[] encodeWord() {
      return Eip712.hashStruct(value).toBytes();
    }
  }

  private static void checkBits(int bits) {
    if (bits < 8 || bits > 256 || bits % 8 != 0) {
      throw new InvalidInputException(Reason.INVALID_ARGUMENT, "integer width " + bits);
    }
  }
}
