package io.wetee.crypto;

import java.util.Objects;

/**
 * A Chaum-Pedersen proof that two discrete logarithms are equal, in challenge-response form.
 * Encoded as 64 bytes {@code c (32) | z (32)}, both canonical scalars.
 *
 * @param challenge c
 * @param response z = k + c*x mod n
 */
public record DleqProof(Scalar challenge, Scalar response) {
  public static final int ENCODED_LENGTH = 64;

  public DleqProof {
    Objects.requireNonNull(challenge, "challenge");
    Objects.requireNonNull(response, "response");
  }

  /**
   * Decodes 64 bytes.
   *
   * @throws InvalidInputException with {@link Reason#WRONG_LENGTH} or {@link
   *     Reason#SCALAR_OUT_OF_RANGE}
   */
  public static DleqProof decode(byte[] bytes) {
    ByteReader in = new ByteReader(bytes, "DLEQ proof");
    DleqProof proof = new DleqProof(in.scalar(), in.scalar());
    in.end();
    return proof;
  }

  public byte[] encode() {
    return Bytes.concat(challenge.encode(), response.encode());
  }

  /** Proof values are public; shown as hex. */
  @Override
  public String toString() {
    return "DleqProof[" + io.wetee.common.Hex.encode(encode()) + "]";
  }
}
