package io.wetee.crypto;

import java.util.Objects;

/**
 * Member j's threshold decryption share {@code D_j = s_j*C1} with a DLEQ proof that {@code log_G
 * PK_j = log_C1 D_j}. Canonical encoding, 100 bytes:
 *
 * <pre>
 * version 0x01 (1) | index j (uint16 BE, 2) | D_j compressed (33) | proof c (32) | proof z (32)
 * </pre>
 *
 * <p>Version 0x02 ({@link #encodeBatched}, same layout) marks a share of a batch: its proof is the
 * batched proof of {@link ThresholdDecryption#shareAll} over all the shares of one member's
 * response, and is valid only together with them.
 *
 * @param index member index j
 * @param value D_j
 * @param proof the DLEQ proof
 */
public record DecryptionShare(int index, Point value, DleqProof proof) {
  public static final int VERSION = 1;

  /** Version of a share whose proof covers a batch ({@link ThresholdDecryption#shareAll}). */
  public static final int BATCH_VERSION = 2;

  public static final int ENCODED_LENGTH = 1 + 2 + Point.ENCODED_LENGTH + DleqProof.ENCODED_LENGTH;

  public DecryptionShare {
    Lagrange.requireIndex(index);
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(proof, "proof");
  }

  /**
   * Decodes 100 bytes.
   *
   * @throws InvalidInputException with a decoding {@link Reason}
   */
  public static DecryptionShare decode(byte[] bytes) {
    return decode(bytes, VERSION);
  }

  /**
   * Decodes 100 bytes of a share of a batch (version 0x02).
   *
   * @throws InvalidInputException with a decoding {@link Reason}
   */
  public static DecryptionShare decodeBatched(byte[] bytes) {
    return decode(bytes, BATCH_VERSION);
  }

  private static DecryptionShare decode(byte[] bytes, int version) {
    ByteReader in = new ByteReader(bytes, "decryption share");
    in.expectVersion(version);
    int index = in.u16();
    Point d = in.point();
    DleqProof proof = DleqProof.decode(in.bytes(DleqProof.ENCODED_LENGTH));
    in.end();
    return new DecryptionShare(index, d, proof);
  }

  public byte[] encode() {
    return encode(VERSION);
  }

  /** The version 0x02 encoding: this share's proof covers its batch. */
  public byte[] encodeBatched() {
    return encode(BATCH_VERSION);
  }

  private byte[] encode(int version) {
    return new Bytes.Writer()
        .u8(version)
        .u16(index)
        .bytes(value.encode())
        .bytes(proof.encode())
        .toByteArray();
  }
}
