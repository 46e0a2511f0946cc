package io.wetee.crypto;

import io.wetee.crypto.OpenResult.ShareRejection;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The secret release path of DESIGN §4, both ends.
 *
 * <p>Design notes. Member side ({@link #respond}): after its own checks (evidence, policy, chain
 * state: not this class's job) member j computes its decryption share {@code D_j = s_j*C1} with a
 * DLEQ proof ({@link ThresholdDecryption}) and seals the 100-byte share encoding to the instance
 * key with {@link Ecies}, context {@code "wetee-release-v1" | C1 (33) | binding.info()} so a
 * response cannot be replayed for another secret. Agent side ({@link #open}): decrypts each
 * response, checks the member is in the committee, rejects duplicate indices, verifies each proof
 * against {@code PK_j}, stops at the first q valid shares, combines them into {@code Z = s*C1} and
 * decrypts with {@link SecretCipher}. No party other than the instance sees the shares, and only q
 * of them together give Z.
 */
public final class SecretEnvelope {
  private static final byte[] TAG = "wetee-release-v1".getBytes(StandardCharsets.US_ASCII);

  private SecretEnvelope() {}

  /** Member j's sealed response for one secret, for one instance. */
  public static EciesCiphertext respond(
      KeyShare share,
      SecretCiphertext ciphertext,
      SecretBinding binding,
      Point instanceKey,
      SecureRandom random) {
    DecryptionShare d = ThresholdDecryption.share(share, ciphertext.c1(), random);
    return Ecies.encrypt(instanceKey, d.encode(), context(ciphertext, binding), random);
  }

  /**
   * Member j's sealed response for one secret, sealed by {@code sender} (made for the instance key)
   * so that the responses for several secrets share one ephemeral key: each secret's context (its
   * C1 and binding) differs, so each is sealed under its own key.
   */
  public static EciesCiphertext respond(
      KeyShare share,
      SecretCiphertext ciphertext,
      SecretBinding binding,
      Ecies.Sender sender,
      SecureRandom random) {
    DecryptionShare d = ThresholdDecryption.share(share, ciphertext.c1(), random);
    return sender.seal(d.encode(), context(ciphertext, binding));
  }

  /** Recovers the secret from the members' responses; never throws for bad responses. */
  public static OpenResult open(
      PrivateKey instanceKey,
      CommitteeKey committee,
      SecretBinding binding,
      SecretCiphertext ciphertext,
      List<EciesCiphertext> responses) {
    return open(Ecies.opener(instanceKey), committee, binding, ciphertext, responses);
  }

  /**
   * As {@link #open(PrivateKey, CommitteeKey, SecretBinding, SecretCiphertext, List)}, with an
   * opener shared by the secrets of one release (one multiplication per member's ephemeral key).
   */
  public static OpenResult open(
      Ecies.Opener instanceKey,
      CommitteeKey committee,
      SecretBinding binding,
      SecretCiphertext ciphertext,
      List<EciesCiphertext> responses) {
    byte[] context = context(ciphertext, binding);
    List<ShareRejection> rejections = new ArrayList<>();
    List<DecryptionShare> valid = new ArrayList<>();
    for (int pos = 0; pos < responses.size() && valid.size() < committee.threshold(); pos++) {
      Optional<Reason> problem;
      try {
        DecryptionShare d = DecryptionShare.decode(instanceKey.open(responses.get(pos), context));
        problem = check(d, committee, ciphertext, valid);
        if (problem.isEmpty()) {
          valid.add(d);
        }
      } catch (InvalidInputException e) {
        problem = Optional.of(e.reason());
      }
      final int at = pos;
      problem.ifPresent(r -> rejections.add(new ShareRejection(at, r)));
    }
    if (valid.size() < committee.threshold()) {
      return new OpenResult.NotEnoughShares(valid.size(), committee.threshold(), rejections);
    }
    return decrypt(ThresholdDecryption.combine(valid), binding, ciphertext, valid, rejections);
  }

  private static OpenResult decrypt(
      Point z,
      SecretBinding binding,
      SecretCiphertext ciphertext,
      List<DecryptionShare> used,
      List<ShareRejection> rejections) {
    try {
      byte[] value = SecretCipher.decrypt(z, binding, ciphertext);
      List<Integer> indices = used.stream().map(DecryptionShare::index).toList();
      return new OpenResult.Opened(value, indices, rejections);
    } catch (InvalidInputException e) {
      return new OpenResult.DecryptionFailed(e.reason(), rejections);
    }
  }

  private static Optional<Reason> check(
      DecryptionShare d,
      CommitteeKey committee,
      SecretCiphertext ciphertext,
      List<DecryptionShare> accepted) {
    Optional<Point> pk = committee.verificationKey(d.index());
    if (pk.isEmpty()) {
      return Optional.of(Reason.UNKNOWN_PARTICIPANT);
    }
    if (accepted.stream().anyMatch(a -> a.index() == d.index())) {
      return Optional.of(Reason.DUPLICATE);
    }
    if (!ThresholdDecryption.verify(d, pk.get(), ciphertext.c1())) {
      return Optional.of(Reason.INVALID_PROOF);
    }
    return Optional.empty();
  }

  private static byte[] context(SecretCiphertext ciphertext, SecretBinding binding) {
    return Bytes.concat(TAG, ciphertext.c1().encode(), binding.info());
  }
}
