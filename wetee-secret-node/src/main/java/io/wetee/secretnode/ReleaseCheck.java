package io.wetee.secretnode;

import io.wetee.chain.CommitteeClient.SignedBy;
import io.wetee.common.Hex;
import io.wetee.crypto.Address;
import io.wetee.crypto.CommitteeKey;
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
 * issuedAt and is signed by that member, and its ciphertexts are those of the first valid answer;
 * the shares' DLEQ proofs (one batched proof per answer) are checked once, when q answers are
 * combined. Not thread-safe: used by the one thread that collects answers.
 */
final class ReleaseCheck {
  /** An accepted answer. */
  record Valid(SecretClient.Member member, ReleaseResponse response) {}

  private final SecretClient.Network net;
  private final ReleaseRequest request;
  private final PrivateKey instanceKey;
  private final CommitteeKey key;

  /**
   * Members' public keys (by lower-case address) recovered from earlier verdict signatures, shared
   * by the client's releases: a known key is checked by verification, which is cheaper than
   * recovery and accepts exactly the same signatures ({@code Ethereum.isSignedBy}).
   */
  private final Map<String, Point> signerKeys;

  private Optional<ReleaseResponse> reference = Optional.empty();

  /** Sealed shares decoded when their answer was accepted (hex to value), not decoded twice. */
  private final Map<String, EciesCiphertext> sealed = new java.util.HashMap<>();

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
  }

  /** Adds the answer to {@code valid}, or says why it is not usable. */
  Optional<ReleaseOutcome.NodeError> accept(
      SecretClient.Member m, ReleaseResponse r, List<Valid> valid) {
    try {
      Optional<String> problem = problem(m, r);
      if (problem.isPresent()) {
        String[] p = problem.get().split(": ", 2);
        return Optional.of(new ReleaseOutcome.NodeError(m.address(), m.endpoint(), p[0], p[1]));
      }
    } catch (RuntimeException e) {
      return Optional.of(
          new ReleaseOutcome.NodeError(
              m.address(), m.endpoint(), "bad-response", e.getClass().getSimpleName()));
    }
    if (reference.isEmpty()) {
      reference = Optional.of(r);
    }
    valid.add(new Valid(m, r));
    return Optional.empty();
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
      Optional<String> p = shareProblem(request.secrets().get(i).name(), r.secrets().get(i));
      if (p.isPresent()) {
        return p;
      }
    }
    return Optional.empty();
  }

  private Optional<String> shareProblem(String name, ReleaseResponse.SharedSecret s) {
    if (!s.name().equals(name)) {
      return Optional.of("bad-response: secret " + s.name() + " instead of " + name);
    }
    if (reference.isPresent()) {
      ReleaseResponse.SharedSecret ref = find(reference.get(), name);
      if (!ref.ciphertext().equalsIgnoreCase(s.ciphertext())
          || !ref.owner().equalsIgnoreCase(s.owner())
          || ref.version() != s.version()) {
        return Optional.of("bad-response: another ciphertext for " + name);
      }
    }
    if (reference.isEmpty()) {
      ciphertext(s); // decodes, or throws: a malformed answer (later answers must equal this one)
    }
    sealed.put(s.share(), SecretClient.sealed(s.share())); // decodes, or throws
    return Optional.empty();
  }

  /** What combining gave: the outcome, or the answers whose shares failed their proofs. */
  sealed interface Combined permits Combined.Done, Combined.BadShares {
    record Done(ReleaseOutcome outcome) implements Combined {}

    /** Positions in the answer list whose shares were rejected, with the reason. */
    record BadShares(Map<Integer, String> positions) implements Combined {}
  }

  /**
   * Combines q answers with {@link SecretEnvelope#open}, which checks each share's DLEQ proof once;
   * answers with a rejected share are reported so the caller can replace them.
   */
  Combined combine(List<Valid> valid, List<ReleaseOutcome.NodeError> skipped) {
    Map<String, byte[]> values = new LinkedHashMap<>();
    Map<Integer, String> bad = new java.util.TreeMap<>();
    List<OpenResult> results = open(valid);
    for (int i = 0; i < results.size(); i++) {
      String name = request.secrets().get(i).name();
      OpenResult r = results.get(i);
      r.rejections().forEach(x -> bad.putIfAbsent(x.position(), name + " " + x.reason()));
      if (r instanceof OpenResult.Opened o) {
        values.put(name, o.value());
        o.destroy();
      } else if (!(r instanceof OpenResult.NotEnoughShares)) {
        values.values().forEach(b -> java.util.Arrays.fill(b, (byte) 0));
        skipped.add(new ReleaseOutcome.NodeError("", "", "decryption-failed", name + ": " + r));
        return new Combined.Done(new ReleaseOutcome.Failed(0, key.threshold(), skipped));
      }
    }
    if (!bad.isEmpty()) {
      values.values().forEach(b -> java.util.Arrays.fill(b, (byte) 0));
      return new Combined.BadShares(bad);
    }
    Verdict verdict = valid.get(0).response().verdict().toVerdict();
    List<SignedBy> sigs = new ArrayList<>();
    for (Valid v : valid) {
      if (v.response().verdict().toVerdict().equals(verdict)) {
        sigs.add(SecretClient.signedBy(v.member().address(), v.response().signature()));
      }
    }
    return new Combined.Done(new ReleaseOutcome.Released(values, verdict, sigs, skipped));
  }

  /**
   * Opens every secret of the release at once: each answer's shares carry one batched proof, so
   * {@link SecretEnvelope#openAll} checks one proof per member, not one per share.
   */
  private List<OpenResult> open(List<Valid> valid) {
    if (request.secrets().isEmpty()) {
      return List.of();
    }
    List<SecretBinding> bindings = new ArrayList<>();
    List<SecretCiphertext> ciphertexts = new ArrayList<>();
    for (ReleaseRequest.SecretRef ref : request.secrets()) {
      ReleaseResponse.SharedSecret first = find(valid.get(0).response(), ref.name());
      bindings.add(binding(first));
      ciphertexts.add(ciphertext(first));
    }
    List<List<EciesCiphertext>> answers = new ArrayList<>();
    for (Valid v : valid) {
      List<EciesCiphertext> shares = new ArrayList<>();
      for (ReleaseRequest.SecretRef ref : request.secrets()) {
        String hex = find(v.response(), ref.name()).share();
        EciesCiphertext c = sealed.get(hex);
        shares.add(c != null ? c : SecretClient.sealed(hex));
      }
      answers.add(shares);
    }
    return SecretEnvelope.openAll(Ecies.opener(instanceKey), key, bindings, ciphertexts, answers);
  }

  private SecretBinding binding(ReleaseResponse.SharedSecret s) {
    return new SecretBinding(
        net.chainId(), net.cloud(), Address.fromHex(s.owner()), s.name(), s.version());
  }

  private static SecretCiphertext ciphertext(ReleaseResponse.SharedSecret s) {
    return SecretCiphertext.decode(Hex.decode(s.ciphertext()));
  }

  private static ReleaseResponse.SharedSecret find(ReleaseResponse r, String name) {
    return r.secrets().stream()
        .filter(s -> s.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no share for " + name));
  }
}
