package io.wetee.secretnode;

import io.wetee.chain.CommitteeClient.SignedBy;
import io.wetee.common.Hex;
import io.wetee.crypto.Address;
import io.wetee.crypto.CommitteeKey;
import io.wetee.crypto.DecryptionShare;
import io.wetee.crypto.Ecies;
import io.wetee.crypto.EciesCiphertext;
import io.wetee.crypto.EthSignature;
import io.wetee.crypto.Ethereum;
import io.wetee.crypto.OpenResult;
import io.wetee.crypto.Point;
import io.wetee.crypto.PrivateKey;
import io.wetee.crypto.SecretBinding;
import io.wetee.crypto.SecretCiphertext;
import io.wetee.crypto.SecretEnvelope;
import io.wetee.crypto.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Checks member answers for one release and combines them. An answer counts only if it comes from
 * the member asked (address and index), its verdict is for this workload, version, instance and
 * issuedAt and is signed by that member, its shares open and their batched DLEQ proof verifies
 * against the member's {@code PK_j}, and its ciphertexts are those of the first valid answer.
 *
 * <p>The checks of one answer on its own ({@link #precheck}: verdict, signature, opening, proof)
 * are thread-safe and run in the thread that received the answer, so answers are checked while
 * other members are still computing theirs; {@link #accept} then compares the answer with the
 * others and {@link #combine} only interpolates and decrypts. {@code accept} and {@code combine}
 * are not thread-safe: used by the one thread that collects answers.
 */
final class ReleaseCheck {
  /** An accepted answer and what {@link #precheck} verified of it. */
  record Valid(SecretClient.Member member, ReleaseResponse response, Prechecked.Verified opened) {}

  /** What {@link #precheck} found: the answer's verified shares, or why it is unusable. */
  sealed interface Prechecked permits Prechecked.Verified, Prechecked.Unusable {
    /**
     * The answer's shares, whose proof verified, and the bindings and ciphertexts they were checked
     * against; one each per secret, in the request's order.
     */
    record Verified(
        List<DecryptionShare> shares,
        List<SecretBinding> bindings,
        List<SecretCiphertext> ciphertexts)
        implements Prechecked {}

    record Unusable(ReleaseOutcome.NodeError error) implements Prechecked {}
  }

  private final SecretClient.Network net;
  private final ReleaseRequest request;
  private final PrivateKey instanceKey;
  private final CommitteeKey key;
  private final Ecies.Opener opener;

  /**
   * Ciphertexts decoded by {@link #ciphertext}, by lower-case hex; shared by the answer threads.
   */
  private final Map<String, SecretCiphertext> decoded =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Members' public keys (by lower-case address) recovered from earlier verdict signatures, shared
   * by the client's releases: a known key is checked by verification, which is cheaper than
   * recovery and accepts exactly the same signatures ({@code Ethereum.isSignedBy}).
   */
  private final Map<String, Point> signerKeys;

  private Optional<ReleaseResponse> reference = Optional.empty();

  ReleaseCheck(
      SecretClient.Network net,
      ReleaseRequest request,
      PrivateKey instanceKey,
      CommitteeKey key,
      Map<String, Point> signerKeys) {
    this.signerKeys = signerKeys;
    this.net = net;
    this.request = request;
    this.instanceKey = instanceKey;
    this.key = key;
    this.opener = Ecies.opener(instanceKey);
  }

  /** Adds the answer to {@code valid}, or says why it is not usable: {@link #precheck} first. */
  Optional<ReleaseOutcome.NodeError> accept(
      SecretClient.Member m, ReleaseResponse r, List<Valid> valid) {
    return accept(m, r, precheck(m, r), valid);
  }

  /**
   * Adds the answer, checked on its own by {@link #precheck}, to {@code valid} if it agrees with
   * the answers before it (the same ciphertexts, owners and versions), or says why not.
   */
  Optional<ReleaseOutcome.NodeError> accept(
      SecretClient.Member m, ReleaseResponse r, Prechecked checked, List<Valid> valid) {
    return switch (checked) {
      case Prechecked.Unusable u -> Optional.of(u.error());
      case Prechecked.Verified v -> {
        if (reference.isPresent()) {
          for (ReleaseRequest.SecretRef ref : request.secrets()) {
            ReleaseResponse.SharedSecret first = find(reference.get(), ref.name());
            ReleaseResponse.SharedSecret s = find(r, ref.name());
            if (!first.ciphertext().equalsIgnoreCase(s.ciphertext())
                || !first.owner().equalsIgnoreCase(s.owner())
                || first.version() != s.version()) {
              yield Optional.of(error(m, "bad-response: another ciphertext for " + ref.name()));
            }
          }
        } else {
          reference = Optional.of(r);
        }
        valid.add(new Valid(m, r, v));
        yield Optional.empty();
      }
    };
  }

  /**
   * Checks one answer on its own: the member and index asked, the verdict's fields and signature,
   * the secrets named, and that the member's shares open with the instance key and their batched
   * proof verifies against its {@code PK_j} for the answer's ciphertexts (which {@link #accept}
   * then compares with the other answers'). Thread-safe: run by the thread that got the answer.
   */
  Prechecked precheck(SecretClient.Member m, ReleaseResponse r) {
    try {
      Optional<String> problem = problem(m, r);
      if (problem.isPresent()) {
        return new Prechecked.Unusable(error(m, problem.get()));
      }
      if (request.secrets().isEmpty()) {
        return new Prechecked.Verified(List.of(), List.of(), List.of());
      }
      List<SecretBinding> bindings = new ArrayList<>();
      List<SecretCiphertext> ciphertexts = new ArrayList<>();
      List<EciesCiphertext> sealed = new ArrayList<>();
      for (ReleaseRequest.SecretRef ref : request.secrets()) {
        ReleaseResponse.SharedSecret s = find(r, ref.name());
        bindings.add(binding(s));
        ciphertexts.add(ciphertext(s));
        sealed.add(SecretClient.sealed(s.share()));
      }
      return switch (SecretEnvelope.checkAnswer(opener, key, bindings, ciphertexts, sealed)) {
        case SecretEnvelope.Answer.Verified v ->
            new Prechecked.Verified(v.shares(), bindings, ciphertexts);
        case SecretEnvelope.Answer.Rejected x ->
            new Prechecked.Unusable(error(m, "invalid-share: " + x.reason()));
      };
    } catch (RuntimeException e) {
      return new Prechecked.Unusable(
          new ReleaseOutcome.NodeError(
              m.address(), m.endpoint(), "bad-response", e.getClass().getSimpleName()));
    }
  }

  private static ReleaseOutcome.NodeError error(SecretClient.Member m, String problem) {
    String[] p = problem.split(": ", 2);
    return new ReleaseOutcome.NodeError(m.address(), m.endpoint(), p[0], p[1]);
  }

  private Optional<String> problem(SecretClient.Member m, ReleaseResponse r) {
    if (!r.member().equalsIgnoreCase(m.address()) || r.index() != m.index()) {
      return Optional.of("bad-response: answered as " + r.member() + " #" + r.index());
    }
    Verdict v = r.verdict().toVerdict();
    if (v.workloadId() != request.workloadId()
        || v.version() != request.version()
        || !v.instance().equals(instanceKey.address())
        || v.issuedAt() != request.issuedAt()) {
      return Optional.of("bad-response: verdict for another request");
    }
    EthSignature sig = SecretClient.signature(r.signature());
    String member = m.address().toLowerCase(Locale.ROOT);
    Point known = signerKeys.get(member);
    if (known == null || !v.isSignedBy(sig, net.chainId(), net.committee(), known)) {
      byte[] digest = v.digest(net.chainId(), net.committee()).toBytes();
      Point recovered = Ethereum.recoverPublicKey(digest, sig);
      Address signer = Address.fromPublicKey(recovered);
      if (known != null || !signer.toString().equalsIgnoreCase(m.address())) {
        return Optional.of("bad-signature: verdict signed by " + signer);
      }
      signerKeys.put(member, recovered); // public: lets the next release verify instead of recover
    }
    if (r.secrets().size() != request.secrets().size()) {
      return Optional.of("bad-response: " + r.secrets().size() + " secrets");
    }
    for (int i = 0; i < r.secrets().size(); i++) {
      String name = request.secrets().get(i).name();
      if (!r.secrets().get(i).name().equals(name)) {
        return Optional.of(
            "bad-response: secret " + r.secrets().get(i).name() + " instead of " + name);
      }
    }
    return Optional.empty();
  }

  /**
   * Combines the q accepted answers' verified shares and decrypts every secret ({@link
   * SecretEnvelope#combineVerified}); a secret that does not decrypt fails the release.
   */
  ReleaseOutcome combine(List<Valid> valid, List<ReleaseOutcome.NodeError> skipped) {
    Map<String, byte[]> values = new LinkedHashMap<>();
    if (!request.secrets().isEmpty()) {
      Prechecked.Verified first = valid.get(0).opened(); // all accepted answers agree with it
      List<OpenResult> results =
          SecretEnvelope.combineVerified(
              key,
              first.bindings(),
              first.ciphertexts(),
              valid.stream().map(v -> v.opened().shares()).toList(),
              List.of());
      for (int i = 0; i < results.size(); i++) {
        String name = request.secrets().get(i).name();
        OpenResult r = results.get(i);
        if (r instanceof OpenResult.Opened o) {
          values.put(name, o.value());
          o.destroy();
        } else {
          values.values().forEach(b -> java.util.Arrays.fill(b, (byte) 0));
          skipped.add(new ReleaseOutcome.NodeError("", "", "decryption-failed", name + ": " + r));
          return new ReleaseOutcome.Failed(0, key.threshold(), skipped);
        }
      }
    }
    Verdict verdict = valid.get(0).response().verdict().toVerdict();
    List<SignedBy> sigs = new ArrayList<>();
    for (Valid v : valid) {
      if (v.response().verdict().toVerdict().equals(verdict)) {
        sigs.add(SecretClient.signedBy(v.member().address(), v.response().signature()));
      }
    }
    return new ReleaseOutcome.Released(values, verdict, sigs, skipped);
  }

  private SecretBinding binding(ReleaseResponse.SharedSecret s) {
    return new SecretBinding(
        net.chainId(), net.cloud(), Address.fromHex(s.owner()), s.name(), s.version());
  }

  /**
   * The answer's ciphertext, decoded once per release: the answers of all members carry the same
   * ones, and sharing their points lets the proof checks share C1's precomputation too. A malformed
   * one throws and is not kept.
   */
  private SecretCiphertext ciphertext(ReleaseResponse.SharedSecret s) {
    return decoded.computeIfAbsent(
        s.ciphertext().toLowerCase(Locale.ROOT), hex -> SecretCiphertext.decode(Hex.decode(hex)));
  }

  private static ReleaseResponse.SharedSecret find(ReleaseResponse r, String name) {
    return r.secrets().stream()
        .filter(s -> s.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no share for " + name));
  }
}
