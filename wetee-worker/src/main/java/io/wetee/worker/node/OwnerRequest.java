package io.wetee.worker.node;

import io.wetee.crypto.Address;
import io.wetee.crypto.EthSignature;
import io.wetee.crypto.Ethereum;
import io.wetee.crypto.PrivateKey;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * An owner-signed request to the worker API (logs and metrics are the owner's only).
 *
 * <p>Design notes: EIP-191 ({@code personal_sign}) over {@code "wetee-request-v1\n" + METHOD + " "
 * + path-with-query + "\n" + unix-seconds}, so any Ethereum wallet can sign it and the signature
 * names the method, the exact resource and the time. The worker accepts a timestamp within {@link
 * #MAX_SKEW_SECONDS} of its clock, recovers the signer and compares it with the workload's owner on
 * chain. A captured request can be replayed only for the same resource within that window, which
 * reveals nothing the captured answer did not.
 */
public final class OwnerRequest {
  /** Header carrying the unix time in seconds. */
  public static final String TIMESTAMP = "X-Wetee-Timestamp";

  /** Header carrying the 65-byte signature as 0x hex. */
  public static final String SIGNATURE = "X-Wetee-Signature";

  public static final long MAX_SKEW_SECONDS = 300;

  private OwnerRequest() {}

  /** The text that is signed. */
  public static byte[] message(String method, String pathAndQuery, long timestamp) {
    return ("wetee-request-v1\n" + method + " " + pathAndQuery + "\n" + timestamp)
        .getBytes(StandardCharsets.UTF_8);
  }

  /** The signature header value for a request. */
  public static String sign(PrivateKey key, String method, String pathAndQuery, long timestamp) {
    return Ethereum.sign(
            key, Ethereum.personalMessageHash(message(method, pathAndQuery, timestamp)))
        .toHex();
  }

  /** The signer, when the timestamp is fresh and the signature recovers. */
  public static Optional<Address> signer(
      String method, String pathAndQuery, String timestamp, String signature, long now) {
    try {
      long ts = Long.parseLong(timestamp);
      if (Math.abs(now - ts) > MAX_SKEW_SECONDS) {
        return Optional.empty();
      }
      return Optional.of(
          Ethereum.recover(
              Ethereum.personalMessageHash(message(method, pathAndQuery, ts)),
              EthSignature.fromHex(signature)));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
