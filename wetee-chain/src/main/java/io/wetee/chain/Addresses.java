package io.wetee.chain;

import java.util.Locale;
import java.util.regex.Pattern;

/** Ethereum address helpers. */
public final class Addresses {
  /** The zero address. */
  public static final String ZERO = "0x0000000000000000000000000000000000000000";

  private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");

  private Addresses() {}

  /** Whether the text is a 0x-prefixed 20-byte hex address. */
  public static boolean isAddress(String text) {
    return text != null && ADDRESS.matcher(text).matches();
  }

  /** Lower-cases a valid address; throws {@link IllegalArgumentException} for anything else. */
  public static String normalize(String text) {
    if (!isAddress(text)) {
      throw new IllegalArgumentException("not an address: " + text);
    }
    return text.toLowerCase(Locale.ROOT);
  }
}
