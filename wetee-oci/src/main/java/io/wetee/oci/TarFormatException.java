package io.wetee.oci;

import java.io.IOException;

/** A tar archive that {@link TarReader} cannot read: corrupt headers or out-of-range sizes. */
public final class TarFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  private final boolean tooLarge;

  TarFormatException(String message, boolean tooLarge) {
    super(message);
    this.tooLarge = tooLarge;
  }

  /** Whether a size field is out of range (rather than the header being malformed). */
  public boolean tooLarge() {
    return tooLarge;
  }
}
