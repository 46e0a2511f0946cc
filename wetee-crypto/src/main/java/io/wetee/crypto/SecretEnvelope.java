package io.wetee.crypto;

import io.wetee.crypto.OpenResult.ShareRejection;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The secret release path of DESIGN §4, both ends.
 *
 * <p>Design notes. Member side ({@link #respondAll}): after its own checks (evidence, policy, chain
 * state: not this class's job) member j computes its decryption shares {@code D_{j,s} = s_j*C1_s}
 * for the m secrets of the release with one batched DLEQ proof over all of them ({@link
 * ThresholdDecryption#shareAll}), and seals each share's 100-byte version-2 encoding (which carries
 * that proof) to the instance key with {@link Ecies}, context {@code "wetee-release-v1" | C1_s (33)
 * | binding_s.info()} so a response cannot be replayed for another secret. Agent side ({@link
 * #openAll}): decrypts each member's m responses, checks the member is in the committee, rejects
 * duplicate indices, checks that its m shares carry one index and one proof and verifies that proof
 * against {@code PK_j} and the m C1s, in the order of the request; stops at the first q valid
 * members, combines their shares into {@code Z_s = s*C1_s} (one set of Lagrange coefficients, one
 * multi-scalar multiplication per secret) and decrypts each secret with {@link SecretCipher}. A
 * member whose proof fails is rejected for every secret. No party other than the instance sees the
 * shares, and only q of them together give Z.
 */
public final class SecretEnvelope {
  private static final byte[] TAG = "wetee-release-v1".getBytes(StandardCharsets.US_ASCII);

  private SecretEnvelope() {}

  /** Member j's sealed response for one secret: {@link #respondAll} with one secret. */
  public static EciesCiphertext respond(
      KeyShare share,
      SecretCiphertext ciphertext,
      SecretBinding binding,
      Point instanceKey,
      SecureRandom random) {
    return respondAll(
            share, List.of(ciphertext), List.of(binding), Ecies.sender(instanceKey, random), random)
        .get(0);
  }

  /**
   * Member j's sealed responses for the secrets of one release, in order, sealed by {@code sender}
   * (made for the instance key) so that they share one ephemeral key: each secret's context (its C1
   * and binding) differs, so each is sealed under its own key. One batched proof covers them all.
   *
   * @throws InvalidInputException with {@link Reason#INVALID_ARGUMENT} when the lists are empty or
   *     differ in length
   */
  public static List<EciesCiphertext> respondAll(
      KeyShare share,
      List<SecretCiphertext> ciphertexts,
      List<SecretBinding> bindings,
      Ecies.Sender sender,
      SecureRandom random) {
    return respondAll(share, share.verificationKey(), ciphertexts, bindings, sender, random);
  }

  /**
   * As {@link #respondAll(KeyShare, List, List, Ecies.Sender, SecureRandom)} with the member's
   * {@code PK_j} given (from its committee key), which saves one multiplication; a key that is not
   * {@code s_j*G} only makes a proof that fails.
   */
  public static List<EciesCiphertext> respondAll(
      KeyShare share,
      Point verificationKey,
      List<SecretCiphertext> ciphertexts,
      List<SecretBinding> bindings,
      Ecies.Sender sender,
      SecureRandom random) {
    requireSameSize(ciphertexts, bindings);
    List<Point> c1s = ciphertexts.stream().map(SecretCiphertext::c1).toList();
    return seal(
        ThresholdDecryption.shareAll(share, verificationKey, c1s, random),
        ciphertexts,
        bindings,
        sender);
  }

  /**
   * Seals shares made earlier by {@link ThresholdDecryption#shareAll} for exactly {@code
   * ciphertexts} (in order), as {@link #respondAll} does. A member may keep a release's shares and
   * their batched proof and answer later releases of the same secrets with them: the statement (its
   * {@code PK_j}, the C1s, the shares) does not change, a proof of a fixed statement can be shown
   * again without revealing more, and each answer is still sealed to its own instance key under a
   * fresh ephemeral key.
   *
   * @throws InvalidInputException with {@link Reason#INVALID_ARGUMENT} when the lists are empty or
   *     differ in length
   */
  public static List<EciesCiphertext> seal(
      List<DecryptionShare> shares,
      List<SecretCiphertext> ciphertexts,
      List<SecretBinding> bindings,
      Ecies.Sender sender) {
    requireSameSize(ciphertexts, bindings);
    if (shares.size() != ciphertexts.size()) {
      throw new InvalidInputException(
          Reason.INVALID_ARGUMENT,
          shares.size() + " shares for " + ciphertexts.size() + " ciphertexts");
    }
    List<EciesCiphertext> out = new ArrayList<>(shares.size());
    for (int s = 0; s < shares.size(); s++) {
      out.add(
          sender.seal(shares.get(s).encodeBatched(), context(ciphertexts.get(s), bindings.get(s))));
    }
    return out;
  }

  /** Recovers one secret from the members' responses; never throws for bad responses. */
  public static OpenResult open(
      PrivateKey instanceKey,
      CommitteeKey committee,
      SecretBinding binding,
      SecretCiphertext ciphertext,
      List<EciesCiphertext> responses) {
    return openAll(
            Ecies.opener(instanceKey),
            committee,
            List.of(binding),
            List.of(ciphertext),
            responses.stream().map(List::of).toList())
        .get(0);
  }

  /**
   * Recovers the secrets of one release. {@code responses.get(pos)} is the pos-th member's answer:
   * one sealed share per secret, in the order of {@code ciphertexts}. Never throws for bad
   * responses: a member whose answer has the wrong number of shares, does not open, does not
   * decode, or fails its proof is rejected (for every secret) at its position.
   *
   * @return one result per secret, in order; each lists the same rejections
   * @throws InvalidInputException with {@link Reason#INVALID_ARGUMENT} when {@code bindings} and
   *     {@code ciphertexts} are empty or differ in length
   */
  public static List<OpenResult> openAll(
      Ecies.Opener instanceKey,
      CommitteeKey committee,
      List<SecretBinding> bindings,
      List<SecretCiphertext> ciphertexts,
      List<List<EciesCiphertext>> responses) {
    requireSameSize(ciphertexts, bindings);
    List<ShareRejection> rejections = new ArrayList<>();
    List<List<DecryptionShare>> valid = new ArrayList<>();
    for (int pos = 0; pos < responses.size() && valid.size() < committee.threshold(); pos++) {
      Optional<Reason> problem;
      switch (checkAnswer(instanceKey, committee, bindings, ciphertexts, responses.get(pos))) {
        case Answer.Verified v -> {
          int index = v.shares().get(0).index();
          if (valid.stream().anyMatch(a -> a.get(0).index() == index)) {
            problem = Optional.of(Reason.DUPLICATE);
          } else {
            valid.add(v.shares());
            problem = Optional.empty();
          }
        }
        case Answer.Rejected r -> problem = Optional.of(r.reason());
      }
      final int at = pos;
      problem.ifPresent(r -> rejections.add(new ShareRejection(at, r)));
    }
    return combineVerified(committee, bindings, ciphertexts, valid, rejections);
  }

  /** One member's answer, opened and checked by {@link #checkAnswer}. */
  public sealed interface Answer permits Answer.Verified, Answer.Rejected {
    /** The member's shares, one per secret in order, whose batched proof verified. */
    record Verified(List<DecryptionShare> shares) implements Answer {
      public Verified {
        shares = List.copyOf(shares);
      }
    }

    /** Why the answer is unusable. */
    record Rejected(Reason reason) implements Answer {}
  }

  /**
   * Opens and checks one member's answer (one sealed share per secret, in the order of {@code
   * ciphertexts}) on its own, so that a client can check each answer as it arrives, in parallel
   * with the others: the shares open under their contexts and decode, carry one index of the
   * committee and one proof, and the proof verifies against {@code PK_j} and the C1s. What needs
   * several answers (distinct indices, q of them) is {@link #combineVerified}'s caller's job.
   * Thread-safe; never throws for a bad answer.
   *
   * @throws InvalidInputException with {@link Reason#INVALID_ARGUMENT} when {@code bindings} and
   *     {@code ciphertexts} are empty or differ in length
   */
  public static Answer checkAnswer(
      Ecies.Opener instanceKey,
      CommitteeKey committee,
      List<SecretBinding> bindings,
      List<SecretCiphertext> ciphertexts,
      List<EciesCiphertext> answer) {
    requireSameSize(ciphertexts, bindings);
    int m = ciphertexts.size();
    try {
      if (answer.size() != m) {
        throw new InvalidInputException(
            Reason.INVALID_ARGUMENT, answer.size() + " shares for " + m + " secrets");
      }
      List<DecryptionShare> shares = new ArrayList<>(m);
      for (int s = 0; s < m; s++) {
        byte[] context = context(ciphertexts.get(s), bindings.get(s));
        shares.add(DecryptionShare.decodeBatched(instanceKey.open(answer.get(s), context)));
      }
      int index = shares.get(0).index();
      Optional<Point> pk = committee.verificationKey(index);
      if (pk.isEmpty()) {
        return new Answer.Rejected(Reason.UNKNOWN_PARTICIPANT);
      }
      List<Point> c1s = ciphertexts.stream().map(SecretCiphertext::c1).toList();
      if (!ThresholdDecryption.verifyAll(shares, pk.get(), c1s)) {
        return new Answer.Rejected(Reason.INVALID_PROOF);
      }
      return new Answer.Verified(shares);
    } catch (InvalidInputException e) {
      return new Answer.Rejected(e.reason());
    }
  }

  /**
   * Recovers the secrets from verified answers ({@link #checkAnswer}), each from a different member
   * (distinct indices, which the caller ensures): with at least q of them, the first q are combined
   * into {@code Z_s = s*C1_s} and each secret is decrypted; with fewer, every result is {@link
   * OpenResult.NotEnoughShares}. {@code rejections} are reported with every result.
   */
  public static List<OpenResult> combineVerified(
      CommitteeKey committee,
      List<SecretBinding> bindings,
      List<SecretCiphertext> ciphertexts,
      List<List<DecryptionShare>> verified,
      List<ShareRejection> rejections) {
    requireSameSize(ciphertexts, bindings);
    int m = ciphertexts.size();
    List<OpenResult> out = new ArrayList<>(m);
    if (verified.size() < committee.threshold()) {
      for (int s = 0; s < m; s++) {
        out.add(new OpenResult.NotEnoughShares(verified.size(), committee.threshold(), rejections));
      }
      return out;
    }
    List<List<DecryptionShare>> used = verified.subList(0, committee.threshold());
    List<Integer> indices = used.stream().map(v -> v.get(0).index()).toList();
    Map<Integer, Scalar> lambda = Lagrange.coefficientsAtZero(indices);
    for (int s = 0; s < m; s++) {
      Map<Integer, Point> byIndex = new TreeMap<>();
      for (List<DecryptionShare> v : used) {
        byIndex.put(v.get(s).index(), v.get(s).value());
      }
      Point z = Lagrange.combineInExponent(lambda, byIndex);
      out.add(decrypt(z, bindings.get(s), ciphertexts.get(s), indices, rejections));
    }
    return out;
  }

  private static void requireSameSize(List<SecretCiphertext> ciphertexts, List<?> bindings) {
    if (ciphertexts.isEmpty() || ciphertexts.size() != bindings.size()) {
      throw new InvalidInputException(
          Reason.INVALID_ARGUMENT,
          "need one binding per ciphertext, at least one: "
              + ciphertexts.size()
              + " ciphertexts, "
              + bindings.size()
              + " bindings");
    }
  }

  private static OpenResult decrypt(
      Point z,
      SecretBinding binding,
      SecretCiphertext ciphertext,
      List<Integer> indices,
      List<ShareRejection> rejections) {
    try {
      byte[] value = SecretCipher.decrypt(z, binding, ciphertext);
      return new OpenResult.Opened(value, indices, rejections);
    } catch (InvalidInputException e) {
      return new OpenResult.DecryptionFailed(e.reason(), rejections);
    }
  }

  private static byte[] context(SecretCiphertext ciphertext, SecretBinding binding) {
    return Bytes.concat(TAG, ciphertext.c1().encode(), binding.info());
  }
}
