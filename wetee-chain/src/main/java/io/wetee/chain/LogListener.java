package io.wetee.chain;

import java.util.List;
import org.web3j.protocol.core.methods.response.Log;

/**
 * Receives the logs an {@link EventFollower} reads, in chain order (block number, then log index).
 *
 * <p>Delivery is once per cursor: after {@link #onLogs} returns, the follower persists the cursor
 * past those logs. If the process dies while {@link #onLogs} runs, that batch is delivered again
 * after the restart, so an implementation that keeps its own state should make applying the same
 * log twice harmless (for example keyed by block number and log index). Called from the follower's
 * single thread; never concurrently.
 */
public interface LogListener {
  /** Logs of one block range, possibly empty ranges are skipped. */
  void onLogs(List<Log> logs);

  /**
   * The chain reorganised: everything previously delivered from {@code firstInvalidBlock} on is no
   * longer canonical and must be forgotten; logs from there on are delivered again.
   */
  default void onReorg(long firstInvalidBlock) {}
}
