package io.wetee.chain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Where a listener stands: every log up to and including {@code lastBlock} has been delivered, and
 * the hashes of some recent blocks as the follower saw them, to detect a reorganisation (a recorded
 * hash that no longer matches the chain). Immutable.
 *
 * @param lastBlock the last fully delivered block; {@code startBlock - 1} before the first delivery
 * @param recent recorded (block, hash) pairs in ascending block order, at most {@link #WINDOW}
 */
public record FollowCursor(long lastBlock, List<BlockRef> recent) {
  /** How many recorded block hashes a cursor keeps. */
  public static final int WINDOW = 128;

  /** A block number and its hash as seen when it was delivered. */
  public record BlockRef(long number, String hash) {}

  public FollowCursor {
    recent = List.copyOf(recent);
  }

  /** The cursor of a listener that has seen nothing, to start at {@code startBlock}. */
  public static FollowCursor startingAt(long startBlock) {
    return new FollowCursor(startBlock - 1, List.of());
  }

  /** This cursor advanced to {@code block}, recording the given hashes. */
  FollowCursor advancedTo(long block, List<BlockRef> seen) {
    List<BlockRef> all = new ArrayList<>(recent);
    for (BlockRef ref : seen) {
      if (all.isEmpty() || all.get(all.size() - 1).number() < ref.number()) {
        all.add(ref);
      }
    }
    all.sort(Comparator.comparingLong(BlockRef::number));
    int from = Math.max(0, all.size() - WINDOW);
    return new FollowCursor(block, all.subList(from, all.size()));
  }

  /** This cursor rewound to {@code forkBlock}, the last block the chain still agrees with. */
  FollowCursor rewoundTo(long forkBlock) {
    return new FollowCursor(
        forkBlock, recent.stream().filter(r -> r.number() <= forkBlock).toList());
  }
}
