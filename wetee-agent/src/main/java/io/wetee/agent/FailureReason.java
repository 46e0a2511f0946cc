package io.wetee.agent;

/**
 * Why the agent failed closed: the program was never started. The {@link #code()} strings are
 * stable; the worker reports them on chain and in its status, tests match on them.
 */
public enum FailureReason {
  /** The spec does not parse, names no such container, or a container lacks a command. */
  INVALID_SPEC("invalid-spec"),
  /** The platform (quoting service, configfs-tsm, Gramine) produced no evidence. */
  EVIDENCE_UNAVAILABLE("evidence-unavailable"),
  /** Fewer than quorum committee members agreed on the committee key. */
  COMMITTEE_UNAVAILABLE("committee-unavailable"),
  /** The members' committee key differs from the group key pinned in the config. */
  COMMITTEE_KEY_MISMATCH("committee-key-mismatch"),
  /** Fewer than quorum members released (refusals, timeouts, invalid shares). */
  RELEASE_REFUSED("release-refused"),
  /** A released secret could not be written as a file or an environment variable. */
  SECRET_WRITE_FAILED("secret-write-failed"),
  /** The operating system could not start the program. */
  PROGRAM_START_FAILED("program-start-failed");

  private final String code;

  FailureReason(String code) {
    this.code = code;
  }

  /** Stable kebab-case code. */
  public String code() {
    return code;
  }
}
