package io.wetee.secretnode;

/** The outcome of one release request at one member: released, or refused with a reason. */
sealed interface ReleaseResult permits ReleaseResult.Released, ReleaseResult.Refused {
  record Released(ReleaseResponse response) implements ReleaseResult {}

  record Refused(RefusalReason reason, String detail) implements ReleaseResult {}
}
