package io.wetee.secretnode;

import io.wetee.attestation.EvidenceType;
import io.wetee.attestation.EvidenceVerifier;
import io.wetee.attestation.Policy;
import io.wetee.attestation.RejectReason;
import io.wetee.attestation.Rejected;
import io.wetee.attestation.TcbStatus;
import io.wetee.attestation.Verified;
import io.wetee.chain.CloudClient;
import io.wetee.chain.WorkloadInfo;
import io.wetee.common.Hex;
import io.wetee.common.spec.SpecException;
import io.wetee.common.spec.WorkloadSpec;
import io.wetee.crypto.Address;
import io.wetee.crypto.Bytes32;
import io.wetee.crypto.CryptoException;
import io.wetee.crypto.DecryptionShare;
import io.wetee.crypto.Ecies;
import io.wetee.crypto.EciesCiphertext;
import io.wetee.crypto.EthSignature;
import io.wetee.crypto.Keccak;
import io.wetee.crypto.KeyShare;
import io.wetee.crypto.Point;
import io.wetee.crypto.PrivateKey;
import io.wetee.crypto.ReportData;
import io.wetee.crypto.SecretBinding;
import io.wetee.crypto.SecretCiphertext;
import io.wetee.crypto.SecretEnvelope;
import io.wetee.crypto.ThresholdDecryption;
import io.wetee.crypto.Verdict;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The member side of a release (DESIGN §4 "Release"): every check, then the verdict and the sealed
 * decryption shares.
 *
 * <p>Order of checks, cheapest and most telling first: request syntax and clock; the member holds a
 * share; the workload exists, is not stopped and runs this version; its spec is on chain; the
 * evidence verifies and meets the policy derived from the workload (TEE types, debug, minimum TCB,
 * and for SIMULATED the spec hash as the only measurement); report_data binds chain, Cloud,
 * workload, version, this instance key and the nonce; the platform is registered on chain to the
 * workload's worker; each secret is the owner's, named in the spec, and exists. Every refusal is a
 * value; only faults (chain down) throw. Thread-safe.
 */
final class ReleaseService {
  private final ChainView chain;
  private final EvidenceVerifier verifier;
  private final KeyRing keys;
  private final PrivateKey signingKey;
  private final Address committee;
  private final SecretNodeConfig.Release config;
  private final Clock clock;
  private final SecureRandom random;

  ReleaseService(
      ChainView chain,
      EvidenceVerifier verifier,
      KeyRing keys,
      PrivateKey signingKey,
      Address committee,
      SecretNodeConfig.Release config,
      Clock clock,
      SecureRandom random) {
    this.chain = chain;
    this.verifier = verifier;
    this.keys = keys;
    this.signingKey = signingKey;
    this.committee = committee;
    this.config = config;
    this.clock = clock;
    this.random = random;
  }

  /** A parsed, syntactically valid request. */
  @SuppressWarnings("ArrayRecordComponent") // private, never compared or leaked
  private record Parsed(ReleaseRequest request, Point instanceKey, Bytes32 nonce, byte[] evidence) {
    Address instance() {
      return Address.fromPublicKey(instanceKey);
    }
  }

  /** Thrown inside the checks to leave with a refusal; never escapes this class. */
  private static final class Refuse extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient RefusalReason reason;

    Refuse(RefusalReason reason, String detail) {
      super(detail, null, false, false);
      this.reason = reason;
    }
  }

  ReleaseResult release(ReleaseRequest request) {
    try {
      Parsed p = parse(request);
      EpochKey epoch =
          keys.current()
              .filter(k -> k.share().isPresent())
              .orElseThrow(() -> new Refuse(RefusalReason.NOT_READY, "no key share yet"));
      WorkloadInfo w = activeWorkload(request);
      WorkloadSpec spec = spec(w);
      Verified v = verify(p, w, spec);
      checkBinding(p, v);
      checkPlatform(v, w);
      List<ReleaseResponse.SharedSecret> shares = shares(p, w, spec, epoch);
      Verdict verdict = verdict(p, v);
      EthSignature sig = verdict.sign(signingKey, chain.chainId(), committee);
      return new ReleaseResult.Released(
          new ReleaseResponse(
              signingKey.address().toString(),
              epoch.share().get().index(),
              epoch.epoch(),
              ReleaseResponse.VerdictView.of(verdict),
              Hex.encode0x(sig.encode()),
              shares));
    } catch (Refuse r) {
      return new ReleaseResult.Refused(r.reason, r.getMessage());
    }
  }

  private Parsed parse(ReleaseRequest r) {
    try {
      Point key = Point.decode(Hex.decode(required(r.instanceKey(), "instanceKey")));
      Bytes32 nonce = Bytes32.of(Hex.decode(required(r.nonce(), "nonce")));
      byte[] evidence = Hex.decode(required(r.evidence(), "evidence"));
      if (r.version() < 1 || r.version() > 0xFFFF_FFFFL) {
        throw new Refuse(RefusalReason.BAD_REQUEST, "version out of range");
      }
      for (ReleaseRequest.SecretRef s : r.secrets()) {
        if (s == null || s.name() == null || s.name().isEmpty()) {
          throw new Refuse(RefusalReason.BAD_REQUEST, "every secret needs a name");
        }
      }
      long skew = Math.abs(clock.instant().getEpochSecond() - r.issuedAt());
      if (skew > config.maxClockSkewSeconds()) {
        throw new Refuse(
            RefusalReason.CLOCK_SKEW, "issuedAt is " + skew + " s away from this node's clock");
      }
      return new Parsed(r, key, nonce, evidence);
    } catch (IllegalArgumentException | CryptoException e) {
      throw new Refuse(RefusalReason.BAD_REQUEST, e.getMessage());
    }
  }

  private static String required(String s, String name) {
    if (s == null || s.isBlank()) {
      throw new Refuse(RefusalReason.BAD_REQUEST, name + " is required");
    }
    return s;
  }

  private WorkloadInfo activeWorkload(ReleaseRequest r) {
    WorkloadInfo w =
        chain
            .workload(r.workloadId())
            .orElseThrow(
                () -> new Refuse(RefusalReason.UNKNOWN_WORKLOAD, "no workload " + r.workloadId()));
    if (w.status() == WorkloadInfo.Status.STOPPED) {
      throw new Refuse(RefusalReason.WORKLOAD_STOPPED, "workload " + w.id() + " is stopped");
    }
    if (w.version() != r.version()) {
      throw new Refuse(
          RefusalReason.WRONG_VERSION,
          "workload " + w.id() + " is at version " + w.version() + ", not " + r.version());
    }
    return w;
  }

  private WorkloadSpec spec(WorkloadInfo w) {
    byte[] json =
        chain
            .spec(w.id(), w.version(), w.specHash())
            .orElseThrow(() -> new Refuse(RefusalReason.SPEC_UNAVAILABLE, "spec " + w.specHash()));
    try {
      return WorkloadSpec.parseJson(json);
    } catch (SpecException e) {
      throw new Refuse(RefusalReason.SPEC_UNAVAILABLE, "spec on chain: " + e.getMessage());
    }
  }

  private Verified verify(Parsed p, WorkloadInfo w, WorkloadSpec spec) {
    var result = verifier.verify(p.evidence(), EvidenceType.AUTO, policy(w, spec), clock.instant());
    return switch (result) {
      case Verified v -> {
        if (!w.teeTypes().contains(v.teeType())) {
          throw new Refuse(
              RefusalReason.TEE_TYPE_NOT_ALLOWED, v.teeType() + " is not allowed by the workload");
        }
        yield v;
      }
      case Rejected r -> {
        RefusalReason reason =
            isPolicy(r.reason()) ? RefusalReason.POLICY_REJECTED : RefusalReason.EVIDENCE_REJECTED;
        throw new Refuse(reason, r.reason() + " (" + r.code() + "): " + r.message());
      }
    };
  }

  private static boolean isPolicy(RejectReason r) {
    return r == RejectReason.SIMULATED_NOT_ALLOWED || r.code() >= 50;
  }

  /**
   * The attestation policy of a workload: TEE types and debug from the chain, the minimum TCB from
   * the spec (never worse than this node's own limit, never Revoked), and for SIMULATED evidence
   * the spec hash as the only accepted measurement.
   */
  Policy policy(WorkloadInfo w, WorkloadSpec spec) {
    boolean simulated =
        config.allowSimulated() && w.teeTypes().contains(io.wetee.attestation.TeeType.SIMULATED);
    List<TcbStatus> statuses = new ArrayList<>();
    for (TcbStatus s : TcbStatus.values()) {
      int worst = Math.min(config.worstTcb().code(), spec.minTcbCode());
      if (s.code() <= worst && s != TcbStatus.Revoked) {
        statuses.add(s);
      }
    }
    return new Policy(
        simulated,
        w.allowDebug(),
        statuses,
        null,
        null,
        null,
        null,
        null,
        List.of(w.specHash()),
        null);
  }

  private void checkBinding(Parsed p, Verified v) {
    ReleaseRequest r = p.request();
    ReportData expected =
        new ReportData(
            chain.chainId(), chain.cloud(), r.workloadId(), r.version(), p.instance(), p.nonce());
    if (!expected.matches(v.reportData())) {
      throw new Refuse(
          RefusalReason.REPORT_DATA_MISMATCH,
          "the evidence's report_data does not bind workload "
              + r.workloadId()
              + " version "
              + r.version()
              + " to instance "
              + p.instance());
    }
  }

  private void checkPlatform(Verified v, WorkloadInfo w) {
    Optional<Long> worker = chain.platformWorker(v.teeType(), v.platformId());
    if (worker.isEmpty()) {
      throw new Refuse(
          RefusalReason.PLATFORM_NOT_REGISTERED,
          v.teeType() + " platform " + Hex.encode(v.platformId()) + " is not registered");
    }
    if (worker.get() != w.workerId()) {
      throw new Refuse(
          RefusalReason.WRONG_WORKER,
          "the platform belongs to worker "
              + worker.get()
              + "; workload "
              + w.id()
              + " is assigned to worker "
              + w.workerId());
    }
  }

  /** A secret's on-chain record and decoded ciphertext, fetched for one release. */
  @SuppressWarnings("ArrayRecordComponent") // private, never compared or leaked
  private record Fetched(
      String name, long version, byte[] ct, SecretCiphertext ciphertext, SecretBinding binding) {}

  private List<ReleaseResponse.SharedSecret> shares(
      Parsed p, WorkloadInfo w, WorkloadSpec spec, EpochKey epoch) {
    KeyShare share = epoch.share().orElseThrow();
    // PK_j as the committee key publishes it (what clients check against); s_j*G otherwise.
    Point pk = epoch.key().verificationKey(share.index()).orElseGet(share::verificationKey);
    List<java.util.concurrent.Callable<Fetched>> tasks = new ArrayList<>();
    for (ReleaseRequest.SecretRef ref : p.request().secrets()) {
      checkNamed(ref, w, spec);
    }
    // The chain reads run in parallel; the shares are then computed together, with one batched
    // DLEQ proof, and sealed with one ephemeral key (each under its secret's context).
    for (ReleaseRequest.SecretRef ref : p.request().secrets()) {
      tasks.add(() -> fetch(w, ref));
    }
    List<Fetched> fetched = Parallel.all(tasks);
    if (fetched.isEmpty()) {
      return List.of(); // a verdict only
    }
    List<SecretCiphertext> ciphertexts = fetched.stream().map(Fetched::ciphertext).toList();
    List<EciesCiphertext> sealed =
        SecretEnvelope.seal(
            shares(share, pk, ciphertexts),
            ciphertexts,
            fetched.stream().map(Fetched::binding).toList(),
            Ecies.sender(p.instanceKey(), random));
    List<ReleaseResponse.SharedSecret> out = new ArrayList<>();
    for (int i = 0; i < fetched.size(); i++) {
      Fetched f = fetched.get(i);
      out.add(
          new ReleaseResponse.SharedSecret(
              f.name(),
              w.owner().toLowerCase(Locale.ROOT),
              f.version(),
              Hex.encode0x(f.ct()),
              Hex.encode0x(sealed.get(i).encode())));
    }
    return out;
  }

  /** Most share batches kept; see {@link #shares(KeyShare, Point, List)}. */
  private static final int SHARES_CAPACITY = 1024;

  /** What a batch of decryption shares is for: a key share's {@code PK_j} and the C1s in order. */
  private record SharesKey(ByteBuffer verificationKey, List<ByteBuffer> c1s) {}

  /**
   * Share batches (with their one batched proof) by what they are for, least recently used first.
   */
  private final Lru<SharesKey, List<DecryptionShare>> shareBatches = new Lru<>(SHARES_CAPACITY);

  /**
   * This member's decryption shares for {@code ciphertexts}, with one batched proof, computed once
   * per key share and list of secrets and kept in memory for the next release of the same secrets
   * (every start of every instance of a workload asks for them again). The shares are {@code
   * s_j*C1_s}: keeping them in this process exposes nothing that the key share {@code s_j}, which
   * the process holds anyway, does not; they are never written anywhere. Showing the same proof of
   * the same statement again reveals nothing new, and no nonce is ever used twice. A reshare or a
   * new epoch gives a new {@code PK_j}, hence new entries.
   */
  private List<DecryptionShare> shares(
      KeyShare share, Point pk, List<SecretCiphertext> ciphertexts) {
    SharesKey key =
        new SharesKey(
            ByteBuffer.wrap(pk.encode()),
            ciphertexts.stream().map(c -> ByteBuffer.wrap(c.c1().encode())).toList());
    return shareBatches.get(
        key,
        () ->
            ThresholdDecryption.shareAll(
                share, pk, ciphertexts.stream().map(SecretCiphertext::c1).toList(), random));
  }

  /** Most decoded ciphertexts kept; each holds its C1 and, once used, C1's precomputed table. */
  private static final int DECODED_CAPACITY = 1024;

  /**
   * Decoded ciphertexts by their bytes, least recently used first. A secret is released at every
   * start of every instance of its workloads; keeping its decoded C1 (with the table of odd
   * multiples its point keeps after the first share, and BouncyCastle's precomputation for the
   * proof) saves a square root and two precomputations per secret and release.
   */
  private final Lru<ByteBuffer, SecretCiphertext> decoded = new Lru<>(DECODED_CAPACITY);

  private Fetched fetch(WorkloadInfo w, ReleaseRequest.SecretRef ref) {
    CloudClient.SecretRecord rec = chain.secret(w.owner(), ref.name());
    if (!rec.exists()) {
      throw new Refuse(RefusalReason.UNKNOWN_SECRET, "the owner has no secret named " + ref.name());
    }
    byte[] ct =
        chain
            .ciphertext(w.owner(), ref.name(), rec.version(), rec.hash())
            .orElseThrow(
                () -> new Refuse(RefusalReason.UNKNOWN_SECRET, "no ciphertext " + rec.hash()));
    SecretBinding binding =
        new SecretBinding(
            chain.chainId(), chain.cloud(), Address.fromHex(w.owner()), ref.name(), rec.version());
    try {
      // A malformed ciphertext throws and is not kept.
      SecretCiphertext c =
          decoded.get(ByteBuffer.wrap(ct.clone()), () -> SecretCiphertext.decode(ct));
      return new Fetched(ref.name(), rec.version(), ct, c, binding);
    } catch (CryptoException e) {
      throw new Refuse(
          RefusalReason.UNKNOWN_SECRET, "ciphertext of " + ref.name() + " is malformed");
    }
  }

  private static void checkNamed(ReleaseRequest.SecretRef ref, WorkloadInfo w, WorkloadSpec spec) {
    if (ref.owner() != null && !ref.owner().equalsIgnoreCase(w.owner())) {
      throw new Refuse(
          RefusalReason.SECRET_NOT_OWNED,
          "secret " + ref.name() + " of " + ref.owner() + " is not the workload owner's");
    }
    if (!spec.secretNames().contains(ref.name())) {
      throw new Refuse(
          RefusalReason.SECRET_NOT_IN_SPEC,
          "secret " + ref.name() + " is not named in the spec of version " + w.version());
    }
  }

  private Verdict verdict(Parsed p, Verified v) {
    ReleaseRequest r = p.request();
    return new Verdict(
        r.workloadId(),
        r.version(),
        p.instance(),
        v.teeType().code(),
        measurementHash(v),
        v.status().code(),
        r.issuedAt(),
        r.issuedAt() + config.verdictValiditySeconds());
  }

  /**
   * SIMULATED: the 32-byte measurement itself (the spec hash); real TEEs: keccak256 of the
   * measurement values in the verifier's stable order.
   */
  static Bytes32 measurementHash(Verified v) {
    if (v.teeType() == io.wetee.attestation.TeeType.SIMULATED) {
      return Bytes32.of(v.measurement("measurement").orElseThrow());
    }
    byte[][] parts = v.measurements().values().stream().map(Hex::decode).toArray(byte[][]::new);
    return Keccak.hash(parts.length == 0 ? new byte[][] {new byte[0]} : parts);
  }
}
