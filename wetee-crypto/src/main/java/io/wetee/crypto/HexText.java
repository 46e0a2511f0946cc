package io.wetee.crypto;

import io.wetee.common.Hex;

/** Hex parsing that reports failures as this module's typed errors. */
final class HexText {
  private HexText() {}

  static byte[] decode(String hex) {
    try {
      return Hex.decode(hex);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(Reason.BAD_TEXT_ENCODING, e.getMessage());
    }
  }
}
