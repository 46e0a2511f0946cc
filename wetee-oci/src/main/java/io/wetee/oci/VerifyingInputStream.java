package io.wetee.oci;

import io.wetee.common.Hex;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Passes bytes through while hashing them; at the end of the stream checks the size (when known)
 * and the sha256 digest, throwing {@code digest-mismatch} instead of returning end-of-stream when
 * they differ. More bytes than the expected size fail at once, so a registry cannot stream forever.
 */
final class VerifyingInputStream extends FilterInputStream {
  private final String expected;
  private final long expectedSize;
  private final String what;
  private final MessageDigest sha256 = Digests.sha256();
  private long count;
  private boolean verified;

  /** {@code expectedSize} below zero means unknown (then only the digest is checked). */
  VerifyingInputStream(InputStream in, String expected, long expectedSize, String what) {
    super(in);
    this.expected = expected;
    this.expectedSize = expectedSize;
    this.what = what;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    if (n < 0) {
      verify();
      return -1;
    }
    sha256.update(b, off, n);
    count += n;
    if (expectedSize >= 0 && count > expectedSize) {
      throw new OciException(
          OciException.Reason.DIGEST_MISMATCH,
          what + " " + expected + " is longer than its declared " + expectedSize + " bytes");
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    byte[] buffer = new byte[(int) Math.min(Math.max(n, 0), 8192)];
    int read = read(buffer, 0, buffer.length);
    return Math.max(read, 0);
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  private void verify() {
    if (verified) {
      return;
    }
    if (expectedSize >= 0 && count != expectedSize) {
      throw new OciException(
          OciException.Reason.DIGEST_MISMATCH,
          what + " " + expected + " has " + count + " bytes, declared " + expectedSize);
    }
    String actual = "sha256:" + Hex.encode(sha256.digest());
    if (!actual.equals(expected)) {
      throw new OciException(
          OciException.Reason.DIGEST_MISMATCH,
          what + " has digest " + actual + ", expected " + expected);
    }
    verified = true;
  }
}
