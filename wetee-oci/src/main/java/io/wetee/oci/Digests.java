package io.wetee.oci;

import io.wetee.common.Hex;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.regex.Pattern;

/** sha256 digests in the OCI form {@code sha256:<64 lower-case hex>}. Stateless. */
final class Digests {
  private static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-f]{64}");

  private Digests() {}

  /** Whether {@code digest} is a well-formed sha256 digest (the only algorithm we accept). */
  static boolean isValid(String digest) {
    return digest != null && SHA256.matcher(digest).matches();
  }

  /** Returns {@code digest} after checking its form, else a {@code bad-manifest} fault. */
  static String require(String digest, String what) {
    if (!isValid(digest)) {
      throw new OciException(
          OciException.Reason.BAD_MANIFEST,
          what + " has an invalid or non-sha256 digest: " + digest);
    }
    return digest;
  }

  /** The 64 hex digits of a valid digest. */
  static String hex(String digest) {
    return digest.substring("sha256:".length());
  }

  static String of(byte[] data) {
    return "sha256:" + Hex.encode(sha256().digest(data));
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** Checks that {@code data} hashes to {@code expected}, else {@code digest-mismatch}. */
  static void verify(byte[] data, String expected, String what) {
    String actual = of(data);
    if (!actual.equals(expected)) {
      throw new OciException(
          OciException.Reason.DIGEST_MISMATCH,
          what + " has digest " + actual + ", expected " + expected);
    }
  }
}
