package io.wetee.crypto;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The public parameters of one DKG or resharing run, the same for every participant.
 *
 * <p>In a fresh DKG the dealers are the recipients themselves. In a resharing run ({@link
 * #previous()} present) the dealers are the members of the previous committee, indexed as there,
 * each dealing its old share; the recipients are the new committee with its own indices and
 * threshold.
 *
 * @param sessionId unique per run (see {@link #deriveId}); bound into every message and every
 *     encrypted share
 * @param threshold q of the new committee: shares needed to reconstruct
 * @param recipients new member index to that member's registered encryption public key
 * @param previous for resharing: the old committee's public key material
 */
public record DkgSession(
    Bytes32 sessionId,
    int threshold,
    Map<Integer, Point> recipients,
    Optional<CommitteeKey> previous) {
  private static final byte[] ID_TAG = "wetee-dkg-v1".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SHARE_TAG = "wetee-dkg-share-v1".getBytes(StandardCharsets.US_ASCII);

  public DkgSession {
    Objects.requireNonNull(sessionId, "sessionId");
    Objects.requireNonNull(previous, "previous");
    recipients.forEach(
        (i, key) -> {
          Lagrange.requireIndex(i);
          if (key.isInfinity()) {
            throw new InvalidInputException(Reason.POINT_AT_INFINITY, "encryption key of " + i);
          }
        });
    if (threshold < 1 || threshold > recipients.size()) {
      throw new InvalidInputException(
          Reason.INVALID_ARGUMENT,
          "threshold " + threshold + " not in [1, " + recipients.size() + "]");
    }
    recipients = Collections.unmodifiableMap(new TreeMap<>(recipients));
  }

  /** A fresh DKG among {@code recipients}. */
  public static DkgSession fresh(Bytes32 sessionId, int threshold, Map<Integer, Point> recipients) {
    return new DkgSession(sessionId, threshold, recipients, Optional.empty());
  }

  /** Resharing of {@code previous}'s key to {@code recipients} with a new threshold. */
  public static DkgSession reshare(
      Bytes32 sessionId, int threshold, Map<Integer, Point> recipients, CommitteeKey previous) {
    return new DkgSession(sessionId, threshold, recipients, Optional.of(previous));
  }

  /**
   * A session id: {@code keccak256("wetee-dkg-v1" | chainId (32 BE) | committee (20) | epoch (8
   * BE))}.
   */
  public static Bytes32 deriveId(BigInteger chainId, Address committee, long epoch) {
    return Keccak.hash(
        ID_TAG, Bytes.unsigned(chainId, 32), committee.toBytes(), Bytes.bigEndian(epoch, 8));
  }

  public boolean isReshare() {
    return previous.isPresent();
  }

  /** Indices of the dealers: the recipients, or the previous committee's members. */
  public Set<Integer> dealers() {
    return previous.map(p -> p.verificationKeys().keySet()).orElse(recipients.keySet());
  }

  /** Fewest qualified dealers for a result: q for a fresh DKG, the old q for resharing. */
  public int minimumQualified() {
    return previous.map(CommitteeKey::threshold).orElse(threshold);
  }

  /** ECIES context of the share from {@code dealer} to {@code recipient}. */
  byte[] shareContext(int dealer, int recipient) {
    return Bytes.concat(
        SHARE_TAG, sessionId.toBytes(), Bytes.bigEndian(dealer, 2), Bytes.bigEndian(recipient, 2));
  }
}
