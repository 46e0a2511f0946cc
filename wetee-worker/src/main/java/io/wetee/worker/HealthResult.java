package io.wetee.worker;

import java.time.Duration;

/** The outcome of a {@link HealthCheck}. */
public sealed interface HealthResult {

  /**
   * The instance answered with a status from 200 to 399.
   *
   * @param status the HTTP status of the successful probe
   * @param attempts probes sent, this one included
   * @param elapsed time from the first probe to this answer
   */
  record Healthy(int status, int attempts, Duration elapsed) implements HealthResult {}

  /**
   * The instance did not become healthy before the deadline (or, for a single probe, failed it).
   *
   * @param reason the last probe's failure
   * @param detail the last probe's failure in words (status, exception)
   * @param attempts probes sent
   * @param elapsed time spent
   */
  record Unhealthy(Reason reason, String detail, int attempts, Duration elapsed)
      implements HealthResult {}

  /** Why a probe failed. The {@link #code()} strings are stable. */
  enum Reason {
    /** Nothing listens on the port (yet). */
    CONNECTION_REFUSED("connection-refused"),
    /** No answer within the probe timeout. */
    TIMEOUT("timeout"),
    /** An answer outside 200 to 399. */
    BAD_STATUS("bad-status"),
    /** Any other I/O failure (connection reset, malformed response). */
    IO_ERROR("io-error");

    private final String code;

    Reason(String code) {
      this.code = code;
    }

    public String code() {
      return code;
    }
  }
}
