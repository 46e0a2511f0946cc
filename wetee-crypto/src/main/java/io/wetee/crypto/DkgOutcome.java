package io.wetee.crypto;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/** The result of a DKG or resharing run as seen by one participant. */
public sealed interface DkgOutcome permits DkgOutcome.Completed, DkgOutcome.Failed {

  /** Dealers left out of QUAL and why, by dealer index. */
  Map<Integer, Disqualification> disqualified();

  /** Why a dealer is not in QUAL. Stable codes via {@link #name()}. */
  enum Disqualification {
    /** No structurally valid deal was received in the deal phase. */
    NO_DEAL,
    /** A complaint against it got no reveal before the reveal phase closed. */
    UNANSWERED_COMPLAINT,
    /** It revealed a share that does not match its commitments. */
    INVALID_REVEAL,
    /** As many complaints as the threshold: revealing would expose its polynomial. */
    TOO_MANY_COMPLAINTS
  }

  /**
   * The run produced a key. Every honest participant computes the same {@code key} and {@code
   * qualified} set from the same messages.
   *
   * @param key group key (unchanged by resharing), new threshold and every new member's PK_j
   * @param qualified QUAL, ascending dealer indices
   * @param disqualified the other dealers
   * @param share this participant's new share; empty if it is not a recipient, or if a dealer in
   *     QUAL never gave it a valid share (its complaint did not reach the board)
   */
  record Completed(
      CommitteeKey key,
      List<Integer> qualified,
      Map<Integer, Disqualification> disqualified,
      Optional<KeyShare> share)
      implements DkgOutcome {
    public Completed {
      Objects.requireNonNull(key, "key");
      qualified = List.copyOf(qualified);
      disqualified = Collections.unmodifiableMap(new TreeMap<>(disqualified));
      Objects.requireNonNull(share, "share");
    }
  }

  /**
   * The run produced no key: too few dealers qualified (or, for resharing, the qualified deals do
   * not reconstruct the old group key, which valid deals cannot cause).
   *
   * @param reason {@link Reason#NOT_ENOUGH_SHARES} or {@link Reason#RESHARE_CONSTANT_MISMATCH}
   * @param detail for people
   * @param disqualified dealers left out and why
   */
  record Failed(Reason reason, String detail, Map<Integer, Disqualification> disqualified)
      implements DkgOutcome {
    public Failed {
      Objects.requireNonNull(reason, "reason");
      disqualified = Collections.unmodifiableMap(new TreeMap<>(disqualified));
    }
  }
}
