package io.wetee.crypto;

import io.wetee.common.Hex;
import java.util.Arrays;
import java.util.Objects;

/**
 * An {@link Ecies} ciphertext. Canonical encoding, {@code 50 + plaintext length} bytes:
 *
 * <pre>
 * version 0x01 (1) | ephemeral public key R, compressed (33) | AES-256-GCM ciphertext | tag (16)
 * </pre>
 *
 * Immutable; equality by content.
 */
public final class EciesCiphertext {
  /** Format version byte. */
  public static final int VERSION = 1;

  /** Encoded length minus plaintext length. */
  public static final int OVERHEAD = 1 + Point.ENCODED_LENGTH + AesGcm.TAG_LENGTH;

  private final Point ephemeral;
  private final byte[] body;

  EciesCiphertext(Point ephemeral, byte[] body) {
    this.ephemeral = Objects.requireNonNull(ephemeral, "ephemeral");
    this.body = body.clone();
  }

  /**
   * Decodes and validates the layout: version, a valid non-infinity point, at least a tag.
   *
   * @throws InvalidInputException with {@link Reason#UNSUPPORTED_VERSION}, {@link
   *     Reason#WRONG_LENGTH} or any point decoding reason
   */
  public static EciesCiphertext decode(byte[] bytes) {
    ByteReader in = new ByteReader(bytes, "ECIES ciphertext");
    in.expectVersion(VERSION);
    Point r = in.point();
    return new EciesCiphertext(r, in.rest(AesGcm.TAG_LENGTH));
  }

  public byte[] encode() {
    return Bytes.concat(new byte[] {VERSION}, ephemeral.encode(), body);
  }

  /** The sender's ephemeral public key R. */
  public Point ephemeral() {
    return ephemeral;
  }

  /** Ciphertext with the 16-byte tag appended. */
  public byte[] body() {
    return body.clone();
  }

  /** Length of the plaintext inside. */
  public int plaintextLength() {
    return body.length - AesGcm.TAG_LENGTH;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EciesCiphertext c
        && ephemeral.equals(c.ephemeral)
        && Arrays.equals(body, c.body);
  }

  @Override
  public int hashCode() {
    return 31 * ephemeral.hashCode() + Arrays.hashCode(body);
  }

  @Override
  public String toString() {
    return "EciesCiphertext[" + Hex.encode(encode()) + "]";
  }
}
