package io.wetee.common;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A secret value in config (a passphrase, a key in hex): {@link #toString()} is always {@code
 * "<redacted>"}, so logging a config record never shows it. Reveal it only where it is used. Holds
 * a copy; {@link #destroy()} overwrites it.
 */
public final class Secret {
  private final char[] value;

  private Secret(char[] value) {
    this.value = value.clone();
  }

  /** Wraps a value; also how config readers build it from a YAML or JSON string. */
  @JsonCreator
  public static Secret of(String value) {
    return new Secret(value.toCharArray());
  }

  /** A copy of the characters; the caller should overwrite it after use. */
  public char[] reveal() {
    return value.clone();
  }

  /** The UTF-8 bytes; the caller should overwrite them after use. */
  public byte[] utf8() {
    return new String(value).getBytes(StandardCharsets.UTF_8);
  }

  public boolean isEmpty() {
    return value.length == 0;
  }

  public void destroy() {
    Arrays.fill(value, '\0');
  }

  @Override
  public String toString() {
    return "<redacted>";
  }
}
