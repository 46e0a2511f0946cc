package io.wetee.secretnode;

/**
 * Why a secret node refused a release. The {@link #code()} strings are stable: clients, audit logs
 * and tests match on them. Each has the HTTP status the API answers with.
 */
public enum RefusalReason {
  BAD_REQUEST("bad-request", 400),
  CLOCK_SKEW("clock-skew", 400),
  RATE_LIMITED("rate-limited", 429),
  NOT_READY("not-ready", 503),
  CHAIN_UNAVAILABLE("chain-unavailable", 503),
  UNKNOWN_WORKLOAD("unknown-workload", 404),
  WORKLOAD_STOPPED("workload-stopped", 403),
  WRONG_VERSION("wrong-version", 403),
  SPEC_UNAVAILABLE("spec-unavailable", 503),
  EVIDENCE_REJECTED("evidence-rejected", 403),
  POLICY_REJECTED("policy-rejected", 403),
  TEE_TYPE_NOT_ALLOWED("tee-type-not-allowed", 403),
  REPORT_DATA_MISMATCH("report-data-mismatch", 403),
  PLATFORM_NOT_REGISTERED("platform-not-registered", 403),
  WRONG_WORKER("wrong-worker", 403),
  SECRET_NOT_IN_SPEC("secret-not-in-spec", 403),
  SECRET_NOT_OWNED("secret-not-owned", 403),
  UNKNOWN_SECRET("unknown-secret", 404);

  private final String code;
  private final int httpStatus;

  RefusalReason(String code, int httpStatus) {
    this.code = code;
    this.httpStatus = httpStatus;
  }

  /** Stable kebab-case code. */
  public String code() {
    return code;
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** The reason with this code, if any. */
  public static java.util.Optional<RefusalReason> fromCode(String code) {
    for (RefusalReason r : values()) {
      if (r.code.equals(code)) {
        return java.util.Optional.of(r);
      }
    }
    return java.util.Optional.empty();
  }
}
