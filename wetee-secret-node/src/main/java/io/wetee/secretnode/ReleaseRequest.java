package io.wetee.secretnode;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * {@code POST /v1/release} body: the instance's evidence and what it asks for. Unknown fields fail.
 *
 * @param workloadId the workload
 * @param version the workload version the instance runs
 * @param instanceKey the instance public key, compressed secp256k1, hex (33 bytes); its address is
 *     bound into the evidence's report_data, and the shares are encrypted to it
 * @param nonce the 32-byte report_data nonce, hex
 * @param evidence the attestation evidence, hex
 * @param issuedAt unix seconds for the verdict's issuedAt, chosen by the caller so that every
 *     member signs the same struct; members refuse values too far from their clock
 * @param secrets the secrets wanted; may be empty (a verdict only)
 */
public record ReleaseRequest(
    long workloadId,
    long version,
    String instanceKey,
    String nonce,
    String evidence,
    long issuedAt,
    List<SecretRef> secrets) {
  public ReleaseRequest {
    secrets = secrets == null ? List.of() : List.copyOf(secrets);
  }

  /**
   * A secret by name; {@code owner} may be given and must then be the workload's owner.
   *
   * @param name secret name
   * @param owner optional owner address
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SecretRef(String name, String owner) {
    public static SecretRef named(String name) {
      return new SecretRef(name, null);
    }
  }
}
