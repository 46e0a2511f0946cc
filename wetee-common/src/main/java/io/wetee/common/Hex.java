package io.wetee.common;

import java.util.HexFormat;

/** Hex encoding with the {@code 0x} conventions of Ethereum tooling. Stateless and thread-safe. */
public final class Hex {
  private static final HexFormat LOWER = HexFormat.of();

  private Hex() {}

  /** Lower-case hex without prefix. */
  public static String encode(byte[] bytes) {
    return LOWER.formatHex(bytes);
  }

  /** Lower-case hex with a {@code 0x} prefix. */
  public static String encode0x(byte[] bytes) {
    return "0x" + LOWER.formatHex(bytes);
  }

  /**
   * Decodes hex text, with or without a {@code 0x} prefix, ignoring surrounding white space.
   *
   * @throws IllegalArgumentException naming the offending position when the text is not hex
   */
  public static byte[] decode(String text) {
    String s = text.strip();
    if (s.startsWith("0x") || s.startsWith("0X")) {
      s = s.substring(2);
    }
    if ((s.length() & 1) != 0) {
      throw new IllegalArgumentException("hex text has an odd number of digits: " + s.length());
    }
    for (int i = 0; i < s.length(); i++) {
      if (Character.digit(s.charAt(i), 16) < 0) {
        throw new IllegalArgumentException(
            "not a hex digit at position " + i + ": '" + s.charAt(i) + "'");
      }
    }
    return LOWER.parseHex(s);
  }
}
