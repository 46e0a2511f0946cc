package io.wetee.chain;

import java.util.Optional;

/**
 * Persists each listener's {@link FollowCursor}, so a restarted process resumes where it stopped.
 * Implementations must make {@link #save} atomic: after a crash, {@link #load} returns either the
 * previous or the new cursor, never a torn one. Thread-safe for distinct listener ids.
 */
public interface CursorStore {
  /** The saved cursor of a listener, if any. */
  Optional<FollowCursor> load(String listenerId);

  /** Replaces the saved cursor of a listener. */
  void save(String listenerId, FollowCursor cursor);
}
