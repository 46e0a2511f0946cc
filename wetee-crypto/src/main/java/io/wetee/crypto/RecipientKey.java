package io.wetee.crypto;

import java.util.Objects;

/**
 * A DKG recipient's identity: its index in the (new) committee and the private half of the
 * encryption key it registered on chain. {@link #toString()} shows no secret.
 *
 * @param index member index in [1, 65535]
 * @param encryptionKey decrypts the shares dealt to this member
 */
public record RecipientKey(int index, PrivateKey encryptionKey) {
  public RecipientKey {
    Lagrange.requireIndex(index);
    Objects.requireNonNull(encryptionKey, "encryptionKey");
  }
}
