package io.wetee.crypto;

import io.wetee.common.Hex;
import java.util.Arrays;
import java.util.Objects;

/**
 * A secret encrypted to the committee's group key by {@link SecretCipher}. Canonical encoding,
 * {@code 62 + value length} bytes:
 *
 * <pre>
 * version 0x01 (1) | C1 = r*G, compressed (33) | nonce (12) | AES-256-GCM ciphertext | tag (16)
 * </pre>
 *
 * Immutable; equality by content.
 */
public final class SecretCiphertext {
  /** Format version byte. */
  public static final int VERSION = 1;

  /** Encoded length minus value length. */
  public static final int OVERHEAD =
      1 + Point.ENCODED_LENGTH + AesGcm.NONCE_LENGTH + AesGcm.TAG_LENGTH;

  private final Point c1;
  private final byte[] nonce;
  private final byte[] body;

  SecretCiphertext(Point c1, byte[] nonce, byte[] body) {
    this.c1 = Objects.requireNonNull(c1, "c1");
    this.nonce = nonce.clone();
    this.body = body.clone();
  }

  /**
   * Decodes and validates the layout.
   *
   * @throws InvalidInputException with {@link Reason#UNSUPPORTED_VERSION}, {@link
   *     Reason#WRONG_LENGTH} or any point decoding reason
   */
  public static SecretCiphertext decode(byte[] bytes) {
    ByteReader in = new ByteReader(bytes, "secret ciphertext");
    in.expectVersion(VERSION);
    Point c1 = in.point();
    byte[] nonce = in.bytes(AesGcm.NONCE_LENGTH);
    return new SecretCiphertext(c1, nonce, in.rest(AesGcm.TAG_LENGTH));
  }

  public byte[] encode() {
    return Bytes.concat(new byte[] {VERSION}, c1.encode(), nonce, body);
  }

  /** {@code C1 = r*G}: what committee members multiply by their shares. */
  public Point c1() {
    return c1;
  }

  public byte[] nonce() {
    return nonce.clone();
  }

  /** Ciphertext with the 16-byte tag appended. */
  public byte[] body() {
    return body.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SecretCiphertext c
        && c1.equals(c.c1)
        && Arrays.equals(nonce, c.nonce)
        && Arrays.equals(body, c.body);
  }

  @Override
  public int hashCode() {
    return Objects.hash(c1, Arrays.hashCode(nonce), Arrays.hashCode(body));
  }

  @Override
  public String toString() {
    return "SecretCiphertext[" + Hex.encode(encode()) + "]";
  }
}
