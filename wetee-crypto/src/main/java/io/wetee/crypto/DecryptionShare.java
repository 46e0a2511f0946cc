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
 * @param index member index j
 * @param value D_j
 * @param proof the DLEQ proof
 */
public record DecryptionShare(int index, Point value, DleqProof proof) {
  public static final int VERSION = 1;
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
    ByteReader in = new ByteReader(bytes, "decryption share");
    in.expectVersion(VERSION);
    int index = in.u16();
    Point d = in.point();
    DleqProof proof = DleqProof.decode(in.bytes(DleqProof.ENCODED_LENGTH));
    in.end();
    return new DecryptionShare(index, d, proof);
  }

  public byte[] encode() {
    return new Bytes.Writer()
        .u8(VERSION)
        .u16(index)
        .bytes(value.encode())
        .bytes(proof.encode())
        .toByteArray();
  }
}
