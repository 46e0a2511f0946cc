package io.wetee.crypto;

/** Phases of a {@link DkgParticipant}, in order. */
public enum DkgPhase {
  /** Deals are accepted. */
  DEALING,
  /** Complaints are accepted. */
  COMPLAINING,
  /** Reveals are accepted. */
  REVEALING,
  /** The outcome is fixed. */
  FINISHED
}
