package io.wetee.secretnode;

import io.wetee.common.Hex;
import io.wetee.crypto.Address;
import io.wetee.crypto.Bytes32;
import io.wetee.crypto.Verdict;
import java.util.List;

/**
 * A member's answer to an accepted release: its signed verdict and, per secret, its decryption
 * share sealed to the instance key, all shares under one batched DLEQ proof ({@code
 * SecretEnvelope.respondAll}).
 *
 * @param member the member's account address (the verdict signer)
 * @param index the member's index in the committee (1-based)
 * @param epoch the committee epoch whose share was used
 * @param verdict the EIP-712 verdict
 * @param signature 65-byte signature over the verdict, hex
 * @param secrets one entry per requested secret, in request order
 */
public record ReleaseResponse(
    String member,
    int index,
    long epoch,
    VerdictView verdict,
    String signature,
    List<SharedSecret> secrets) {
  public ReleaseResponse {
    secrets = List.copyOf(secrets);
  }

  /**
   * One secret: its on-chain identity, the ciphertext the share was computed for, and the sealed
   * share.
   *
   * @param name secret name
   * @param owner owner address
   * @param version secret version (part of the binding)
   * @param ciphertext the SecretCiphertext encoding, hex
   * @param share the ECIES-sealed DecryptionShare, hex
   */
  public record SharedSecret(
      String name, String owner, long version, String ciphertext, String share) {}

  /** JSON form of {@link Verdict}. */
  public record VerdictView(
      long workloadId,
      long version,
      String instance,
      int teeType,
      String measurementHash,
      int tcbStatus,
      long issuedAt,
      long expiresAt) {
    public static VerdictView of(Verdict v) {
      return new VerdictView(
          v.workloadId(),
          v.version(),
          v.instance().toString(),
          v.teeType(),
          Hex.encode0x(v.measurementHash().toBytes()),
          v.tcbStatus(),
          v.issuedAt(),
          v.expiresAt());
    }

    public Verdict toVerdict() {
      return new Verdict(
          workloadId,
          version,
          Address.fromHex(instance),
          teeType,
          Bytes32.fromHex(measurementHash),
          tcbStatus,
          issuedAt,
          expiresAt);
    }
  }
}
