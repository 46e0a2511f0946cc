package io.wetee.crypto;

import io.wetee.common.Hex;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * A 20-byte Ethereum address: the last 20 bytes of keccak256 of the uncompressed public key without
 * its 0x04 prefix (Ethereum Yellow Paper, appendix F). Text form is EIP-55 mixed-case checksummed.
 * Immutable, equality by content.
 */
public final class Address {
  public static final int LENGTH = 20;
  public static final Address ZERO = new Address(new byte[LENGTH]);

  private final byte[] bytes;

  private Address(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * Copies 20 bytes.
   *
   * @throws InvalidInputException with {@link Reason#WRONG_LENGTH} for any other length
   */
  public static Address of(byte[] bytes) {
    if (bytes.length != LENGTH) {
      throw new InvalidInputException(
          Reason.WRONG_LENGTH, "address must be 20 bytes, got " + bytes.length);
    }
    return new Address(bytes.clone());
  }

  /**
   * Parses 40 hex digits, with or without {@code 0x}. All-lower and all-upper case are accepted as
   * they are; mixed case must carry a valid EIP-55 checksum.
   *
   * @throws InvalidInputException with {@link Reason#BAD_TEXT_ENCODING} (not hex, bad checksum) or
   *     {@link Reason#WRONG_LENGTH}
   */
  public static Address fromHex(String text) {
    Address a = of(HexText.decode(text));
    String digits = text.strip();
    if (digits.startsWith("0x") || digits.startsWith("0X")) {
      digits = digits.substring(2);
    }
    boolean mixed =
        !digits.equals(digits.toLowerCase(Locale.ROOT))
            && !digits.equals(digits.toUpperCase(Locale.ROOT));
    if (mixed && !a.toChecksumHex().substring(2).equals(digits)) {
      throw new InvalidInputException(Reason.BAD_TEXT_ENCODING, "EIP-55 checksum mismatch");
    }
    return a;
  }

  /** The address of a public key. */
  public static Address fromPublicKey(Point publicKey) {
    byte[] uncompressed = publicKey.encodeUncompressed();
    byte[] hash = Keccak.keccak256(Arrays.copyOfRange(uncompressed, 1, uncompressed.length));
    return new Address(Arrays.copyOfRange(hash, 12, 32));
  }

  /** A copy of the 20 bytes. */
  public byte[] toBytes() {
    return bytes.clone();
  }

  /** The address left-padded to 32 bytes, as the ABI encodes it. */
  byte[] toWord() {
    return Bytes.concat(new byte[12], bytes);
  }

  /** EIP-55 checksummed text with {@code 0x}. */
  public String toChecksumHex() {
    String lower = Hex.encode(bytes);
    byte[] hash = Keccak.keccak256(lower.getBytes(StandardCharsets.US_ASCII));
    StringBuilder out = new StringBuilder("0x");
    for (int i = 0; i < lower.length(); i++) {
      char c = lower.charAt(i);
      int nibble = (hash[i / 2] >>> (i % 2 == 0 ? 4 : 0)) & 0xF;
      out.append(nibble >= 8 ? Character.toUpperCase(c) : c);
    }
    return out.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Address a && Arrays.equals(bytes, a.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** The EIP-55 checksummed form. */
  @Override
  public String toString() {
    return toChecksumHex();
  }
}
