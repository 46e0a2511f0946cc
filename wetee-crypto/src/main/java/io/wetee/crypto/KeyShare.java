package io.wetee.crypto;

import java.util.Objects;

/**
 * A participant's share {@code s_j} of a threshold secret, at evaluation point {@code index}
 * (1-based). {@link #toString()} never shows the value.
 *
 * @param index the participant index j, in [1, 65535]
 * @param value s_j
 */
public record KeyShare(int index, Scalar value) {
  public KeyShare {
    Lagrange.requireIndex(index);
    Objects.requireNonNull(value, "value");
  }

  /** {@code PK_j = s_j*G}, the public verification key of this share. */
  public Point verificationKey() {
    return Point.fromSecret(value);
  }

  @Override
  public String toString() {
    return "KeyShare[index=" + index + ", value=redacted]";
  }
}
