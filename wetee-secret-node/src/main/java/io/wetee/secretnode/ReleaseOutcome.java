package io.wetee.secretnode;

import io.wetee.chain.CommitteeClient.SignedBy;
import io.wetee.crypto.Verdict;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What {@link SecretClient#release} ended with: the secrets and verdicts, or why not. */
public sealed interface ReleaseOutcome permits ReleaseOutcome.Released, ReleaseOutcome.Failed {

  /** Members whose answers were not used, and why. */
  List<NodeError> skipped();

  /**
   * A member that was asked but did not contribute.
   *
   * @param member account address
   * @param endpoint its URL
   * @param reason a refusal code of {@link RefusalReason}, or {@code timeout}, {@code unreachable},
   *     {@code bad-response}, {@code bad-signature}, {@code invalid-share}
   * @param detail for people
   */
  record NodeError(String member, String endpoint, String reason, String detail) {
    @Override
    public String toString() {
      return member + " " + reason + (detail.isEmpty() ? "" : " (" + detail + ")");
    }
  }

  /**
   * Enough members answered with valid proofs: every secret's value, and the verdict with the
   * signatures of the members that signed it (sorted as {@code Cloud.start} needs them when passed
   * through {@code CloudClient.start}).
   */
  final class Released implements ReleaseOutcome {
    private final Map<String, byte[]> values;
    private final Verdict verdict;
    private final List<SignedBy> signatures;
    private final List<NodeError> skipped;

    Released(
        Map<String, byte[]> values,
        Verdict verdict,
        List<SignedBy> signatures,
        List<NodeError> skipped) {
      this.values = new LinkedHashMap<>();
      values.forEach((k, v) -> this.values.put(k, v.clone()));
      this.verdict = verdict;
      this.signatures = List.copyOf(signatures);
      this.skipped = List.copyOf(skipped);
    }

    /** A copy of one secret's value. */
    public byte[] value(String name) {
      byte[] v = values.get(name);
      if (v == null) {
        throw new IllegalArgumentException("no secret " + name + " was requested");
      }
      return v.clone();
    }

    public List<String> names() {
      return List.copyOf(values.keySet());
    }

    public Verdict verdict() {
      return verdict;
    }

    public List<SignedBy> signatures() {
      return signatures;
    }

    @Override
    public List<NodeError> skipped() {
      return skipped;
    }

    /** Overwrites the held values. */
    public void destroy() {
      values.values().forEach(v -> Arrays.fill(v, (byte) 0));
    }

    @Override
    public String toString() {
      return "Released[secrets="
          + values.keySet()
          + ", values=redacted, signers="
          + signatures.size()
          + "]";
    }
  }

  /**
   * Fewer than q members gave valid answers: fails closed.
   *
   * @param valid valid answers obtained
   * @param needed q
   * @param skipped every member that did not help, and why
   */
  record Failed(int valid, int needed, List<NodeError> skipped) implements ReleaseOutcome {
    public Failed {
      skipped = List.copyOf(skipped);
    }

    /** One line for people: how many were missing and what each member said. */
    public String message() {
      return "secret release failed: "
          + valid
          + " valid answers, "
          + needed
          + " needed; "
          + skipped.stream().map(NodeError::toString).reduce((a, b) -> a + "; " + b).orElse("");
    }
  }
}
