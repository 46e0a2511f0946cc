package io.wetee.agent;

import io.wetee.attestation.Evidence;
import io.wetee.attestation.EvidenceProviders;
import io.wetee.attestation.spi.EvidenceProvider;
import io.wetee.chain.CommitteeClient.SignedBy;
import io.wetee.common.Hex;
import io.wetee.crypto.Address;
import io.wetee.crypto.Bytes32;
import io.wetee.crypto.CommitteeKey;
import io.wetee.crypto.Point;
import io.wetee.crypto.PrivateKey;
import io.wetee.crypto.ReportData;
import io.wetee.crypto.Verdict;
import io.wetee.secretnode.ReleaseOutcome;
import io.wetee.secretnode.ReleaseRequest;
import io.wetee.secretnode.SecretClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attestation round (DESIGN §4, §7.1): a fresh 32-byte nonce, {@code report_data =
 * ReportData(chainId, cloud, workloadId, version, instance, nonce)}, evidence from the platform,
 * the committee key agreed by q members (and equal to the pinned group key, when configured), then
 * a release request for verdicts and the named secrets through {@link SecretClient}, which checks
 * every member's verdict signature and DLEQ proof and fails closed below q. Every failure is a
 * {@link Outcome.Refused} with a {@link FailureReason}; nothing here throws for an expected
 * failure. Thread-safe (no mutable state); the instance key never leaves this object and its
 * callers in the process.
 */
final class Attestor {
  private static final Logger LOG = LoggerFactory.getLogger(Attestor.class);

  /** What the round proved: the evidence binding the instance key, and q verdict signatures. */
  record Attestation(
      Bytes32 nonce,
      ReportData reportData,
      Evidence evidence,
      Verdict verdict,
      List<SignedBy> signatures) {}

  /** The round's outcome. */
  sealed interface Outcome permits Outcome.Attested, Outcome.Refused {
    /** Verified by q members; {@code released} holds the secret values (destroy after use). */
    record Attested(Attestation attestation, ReleaseOutcome.Released released) implements Outcome {}

    record Refused(FailureReason reason, String detail, List<ReleaseOutcome.NodeError> refusals)
        implements Outcome {
      /** Member answers that say nothing about this instance: worth another try. */
      static final Set<String> TRANSIENT =
          Set.of("timeout", "unreachable", "rate-limited", "not-ready", "chain-unavailable");

      /** Whether another round may succeed: the platform or members were not there. */
      boolean isTransient() {
        return switch (reason) {
          case EVIDENCE_UNAVAILABLE, COMMITTEE_UNAVAILABLE -> true;
          case RELEASE_REFUSED ->
              !refusals.isEmpty()
                  && refusals.stream().allMatch(e -> TRANSIENT.contains(e.reason()));
          default -> false;
        };
      }
    }
  }

  private final AgentConfig config;
  private final PrivateKey instanceKey;
  private final EvidenceProvider evidence;
  private final SecretClient client;
  private final Clock clock;
  private final SecureRandom random;

  Attestor(
      AgentConfig config,
      PrivateKey instanceKey,
      EvidenceProvider evidence,
      SecretClient client,
      Clock clock,
      SecureRandom random) {
    this.config = config;
    this.instanceKey = instanceKey;
    this.evidence = evidence;
    this.client = client;
    this.clock = clock;
    this.random = random;
  }

  /** The evidence source the config names. */
  static EvidenceProvider provider(AgentConfig.Evidence e, HttpClient http, Duration timeout) {
    return switch (e.type()) {
      case SIMULATED ->
          new RemoteQuoteProvider(http, URI.create(e.quotingUrl()), e.token(), timeout);
      case CONFIGFS_TSM ->
          e.path() == null
              ? EvidenceProviders.configfsTsm()
              : EvidenceProviders.configfsTsm(e.path(), "wetee-" + ProcessHandle.current().pid());
      case GRAMINE ->
          e.path() == null ? EvidenceProviders.gramine() : EvidenceProviders.gramine(e.path());
    };
  }

  /**
   * Runs rounds until one succeeds, fails for a non-transient reason, {@code retry.attempts()} are
   * used up, or {@code cancelled} says stop; waits {@code delayMillis × attempt} between rounds.
   */
  Outcome attestRetrying(List<String> secrets, AgentConfig.Retry retry, BooleanSupplier cancelled) {
    for (int attempt = 1; ; attempt++) {
      Outcome out = attest(secrets);
      if (!(out instanceof Outcome.Refused r)
          || attempt >= retry.attempts()
          || !r.isTransient()
          || cancelled.getAsBoolean()) {
        return out;
      }
      LOG.info("attestation attempt {} failed ({}); retrying", attempt, r.reason().code());
      try {
        Thread.sleep(retry.delayMillis() * attempt);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return out;
      }
    }
  }

  /** Runs one round asking for {@code secrets} (may be empty: verdicts only). */
  Outcome attest(List<String> secrets) {
    byte[] n = new byte[32];
    random.nextBytes(n);
    Bytes32 nonce = Bytes32.of(n);
    ReportData rd =
        new ReportData(
            config.network().chainId(),
            Address.fromHex(config.network().cloud()),
            config.workloadId(),
            config.version(),
            instanceKey.address(),
            nonce);
    Evidence ev;
    try {
      ev = evidence.collect(rd.toBytes());
    } catch (RuntimeException e) {
      LOG.warn("no evidence: {}", e.getMessage());
      return refused(FailureReason.EVIDENCE_UNAVAILABLE, String.valueOf(e.getMessage()));
    }
    List<SecretClient.Member> members = members();
    Optional<CommitteeKey> key = client.fetchKey(members, config.committee().quorum());
    if (key.isEmpty()) {
      return refused(
          FailureReason.COMMITTEE_UNAVAILABLE,
          "fewer than " + config.committee().quorum() + " members agree on the committee key");
    }
    Optional<String> pinned = Optional.ofNullable(config.committee().groupKey());
    if (pinned.isPresent()
        && !key.get().groupKey().equals(Point.decode(Hex.decode(pinned.get())))) {
      return refused(
          FailureReason.COMMITTEE_KEY_MISMATCH,
          "members serve group key " + Hex.encode0x(key.get().groupKey().encode()));
    }
    ReleaseRequest request =
        new ReleaseRequest(
            config.workloadId(),
            config.version(),
            Hex.encode0x(instanceKey.publicKey().encode()),
            nonce.toHex(),
            Hex.encode0x(ev.bytes()),
            clock.instant().getEpochSecond(),
            secrets.stream().map(ReleaseRequest.SecretRef::named).toList());
    ReleaseOutcome out = client.release(network(), request, instanceKey, key.get(), members);
    return switch (out) {
      case ReleaseOutcome.Released r ->
          new Outcome.Attested(new Attestation(nonce, rd, ev, r.verdict(), r.signatures()), r);
      case ReleaseOutcome.Failed f ->
          new Outcome.Refused(FailureReason.RELEASE_REFUSED, f.message(), f.skipped());
    };
  }

  private static Outcome refused(FailureReason reason, String detail) {
    return new Outcome.Refused(reason, detail, List.of());
  }

  SecretClient.Network network() {
    return new SecretClient.Network(
        config.network().chainId(),
        Address.fromHex(config.network().cloud()),
        Address.fromHex(config.network().committee()));
  }

  private List<SecretClient.Member> members() {
    return config.committee().members().stream()
        .map(m -> new SecretClient.Member(m.index(), m.address(), m.endpoint()))
        .toList();
  }
}
