package io.wetee.crypto;

import java.util.Arrays;
import java.util.List;

/** The outcome of {@link SecretEnvelope#open}: the value, or why it could not be recovered. */
public sealed interface OpenResult
    permits OpenResult.Opened, OpenResult.NotEnoughShares, OpenResult.DecryptionFailed {

  /** Responses that were skipped, in the order seen. */
  List<ShareRejection> rejections();

  /**
   * Why one response was not used.
   *
   * @param position index of the response in the list given to {@code open}
   * @param reason e.g. {@link Reason#AUTHENTICATION_FAILED} (not sealed to this instance), a
   *     decoding reason, {@link Reason#UNKNOWN_PARTICIPANT}, {@link Reason#DUPLICATE} or {@link
   *     Reason#INVALID_PROOF}
   */
  record ShareRejection(int position, Reason reason) {}

  /** The secret value, recovered from the shares of {@code usedIndices}. */
  final class Opened implements OpenResult {
    private final byte[] value;
    private final List<Integer> usedIndices;
    private final List<ShareRejection> rejections;

    Opened(byte[] value, List<Integer> usedIndices, List<ShareRejection> rejections) {
      this.value = value.clone();
      this.usedIndices = List.copyOf(usedIndices);
      this.rejections = List.copyOf(rejections);
    }

    /** A copy of the decrypted value. */
    public byte[] value() {
      return value.clone();
    }

    public List<Integer> usedIndices() {
      return usedIndices;
    }

    @Override
    public List<ShareRejection> rejections() {
      return rejections;
    }

    /** Overwrites the held value; later {@link #value()} calls return zeros. */
    public void destroy() {
      Arrays.fill(value, (byte) 0);
    }

    @Override
    public String toString() {
      return "Opened[value=redacted, usedIndices=" + usedIndices + "]";
    }
  }

  /**
   * Fewer than q responses were valid.
   *
   * @param valid number of valid shares found
   * @param needed q
   * @param rejections why the others were skipped
   */
  record NotEnoughShares(int valid, int needed, List<ShareRejection> rejections)
      implements OpenResult {
    public NotEnoughShares {
      rejections = List.copyOf(rejections);
    }
  }

  /**
   * q valid shares combined, but the ciphertext does not decrypt: it was not made for this binding
   * or group key, or was altered.
   *
   * @param reason {@link Reason#AUTHENTICATION_FAILED}
   * @param rejections responses skipped on the way
   */
  record DecryptionFailed(Reason reason, List<ShareRejection> rejections) implements OpenResult {
    public DecryptionFailed {
      rejections = List.copyOf(rejections);
    }
  }
}
