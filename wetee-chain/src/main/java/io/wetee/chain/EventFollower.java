package io.wetee.chain;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;

/**
 * Follows the logs of a set of contracts and hands them to one {@link LogListener}, in order, once
 * per persisted cursor.
 *
 * <p>Design notes. Each poll (1) reads the head and keeps {@code confirmations} blocks back; (2)
 * checks that the newest block hash the cursor recorded still matches the chain, and on a mismatch
 * walks back through the recorded hashes to the fork point, tells the listener, and rewinds; (3)
 * reads {@code eth_getLogs} over at most {@code maxRange} blocks, delivers them, records the hash
 * of every block with logs and of the range's last block, and persists the cursor. Logs carry their
 * block hash, so a reorganisation while the range is read leaves a recorded hash that no longer
 * matches, and step 2 of the next poll catches it. RPC failures back off exponentially (up to
 * {@code maxBackoff}) and the follower resumes where it was. While behind, it polls back to back;
 * at the head it sleeps {@code pollInterval}, which should be about the chain's block time.
 *
 * <p>Threading: {@link #start()} runs the loop on one virtual thread; {@link #catchUp()} may be
 * called instead, from one thread, for a caller that drives the pace itself.
 */
public final class EventFollower implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EventFollower.class);

  /**
   * What to follow and how.
   *
   * @param addresses contract addresses whose logs are wanted
   * @param startBlock first block to read when the listener has no saved cursor
   * @param confirmations how many blocks behind the head to stay (0 follows the head)
   * @param maxRange most blocks per {@code eth_getLogs}
   * @param pollInterval sleep at the head
   * @param maxBackoff longest sleep after repeated RPC failures
   */
  public record Config(
      List<String> addresses,
      long startBlock,
      int confirmations,
      int maxRange,
      Duration pollInterval,
      Duration maxBackoff) {
    public Config {
      addresses = List.copyOf(addresses);
      if (confirmations < 0 || maxRange < 1) {
        throw new IllegalArgumentException("confirmations >= 0 and maxRange >= 1 required");
      }
    }

    /** Follows the head directly, 2,000 blocks per read, polling each second. */
    public static Config of(List<String> addresses, long startBlock) {
      return new Config(
          addresses, startBlock, 0, 2000, Duration.ofSeconds(1), Duration.ofSeconds(30));
    }

    public Config withConfirmations(int n) {
      return new Config(addresses, startBlock, n, maxRange, pollInterval, maxBackoff);
    }

    public Config withPollInterval(Duration d) {
      return new Config(addresses, startBlock, confirmations, maxRange, d, maxBackoff);
    }

    public Config withMaxRange(int n) {
      return new Config(addresses, startBlock, confirmations, n, pollInterval, maxBackoff);
    }
  }

  private final Web3j web3j;
  private final Config config;
  private final CursorStore store;
  private final String listenerId;
  private final LogListener listener;
  private FollowCursor cursor;
  private volatile boolean running;
  private Thread thread;

  public EventFollower(
      Web3j web3j, Config config, CursorStore store, String listenerId, LogListener listener) {
    this.web3j = web3j;
    this.config = config;
    this.store = store;
    this.listenerId = listenerId;
    this.listener = listener;
    this.cursor =
        store.load(listenerId).orElseGet(() -> FollowCursor.startingAt(config.startBlock()));
  }

  /** The last block whose logs were all delivered. */
  public long lastDeliveredBlock() {
    return cursor.lastBlock();
  }

  /** Starts following on a virtual thread. */
  public synchronized void start() {
    if (thread != null) {
      throw new IllegalStateException("already started");
    }
    running = true;
    thread = Thread.ofVirtual().name("follower-" + listenerId).start(this::loop);
  }

  /** Stops the loop and waits for the current batch to finish; the cursor stays saved. */
  @Override
  public synchronized void close() {
    running = false;
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(Duration.ofSeconds(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      thread = null;
    }
  }

  private void loop() {
    Duration backoff = Duration.ofMillis(200);
    while (running) {
      try {
        if (step().caughtUp()) {
          Thread.sleep(config.pollInterval());
        }
        backoff = Duration.ofMillis(200);
      } catch (InterruptedException e) {
        return;
      } catch (IOException | RuntimeException e) {
        if (!running) {
          return;
        }
        LOG.warn(
            "follower {}: {}; retrying in {} ms", listenerId, e.getMessage(), backoff.toMillis());
        if (!sleepQuietly(backoff)) {
          return;
        }
        backoff = min(backoff.multipliedBy(2), config.maxBackoff());
      }
    }
  }

  /**
   * Reads until the (confirmed) head and delivers everything; returns the number of logs.
   *
   * @throws ChainException when the node cannot be read
   */
  public int catchUp() {
    int total = 0;
    try {
      Step s;
      do {
        s = step();
        total += s.delivered();
      } while (!s.caughtUp());
    } catch (IOException e) {
      throw new ChainException("follower " + listenerId + ": " + e.getMessage(), e);
    }
    return total;
  }

  /** What one step did: logs delivered, and whether it reached the confirmed head. */
  private record Step(int delivered, boolean caughtUp) {}

  private Step step() throws IOException {
    long head = web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
    if (rewindIfReorganised(head)) {
      return new Step(0, false);
    }
    long safe = head - config.confirmations();
    long from = cursor.lastBlock() + 1;
    if (from > safe) {
      return new Step(0, true);
    }
    long to = Math.min(safe, from + config.maxRange() - 1);
    List<Log> logs = getLogs(from, to);
    List<FollowCursor.BlockRef> seen = new ArrayList<>();
    for (Log log : logs) {
      long b = log.getBlockNumber().longValueExact();
      if (seen.isEmpty() || seen.get(seen.size() - 1).number() != b) {
        seen.add(new FollowCursor.BlockRef(b, log.getBlockHash()));
      }
    }
    if (seen.isEmpty() || seen.get(seen.size() - 1).number() != to) {
      // The range's last block had no logs: record its hash so the next step can detect a fork.
      String toHash =
          blockHash(to).orElseThrow(() -> new ChainException("block " + to + " vanished"));
      seen.add(new FollowCursor.BlockRef(to, toHash));
    }
    if (!logs.isEmpty()) {
      listener.onLogs(logs);
    }
    cursor = cursor.advancedTo(to, seen);
    store.save(listenerId, cursor);
    return new Step(logs.size(), to >= safe);
  }

  private boolean rewindIfReorganised(long head) throws IOException {
    List<FollowCursor.BlockRef> recent = cursor.recent();
    if (recent.isEmpty()) {
      return false;
    }
    FollowCursor.BlockRef newest = recent.get(recent.size() - 1);
    if (newest.number() <= head && matches(newest)) {
      return false;
    }
    long fork = config.startBlock() - 1;
    for (int i = recent.size() - 2; i >= 0; i--) {
      FollowCursor.BlockRef ref = recent.get(i);
      if (ref.number() <= head && matches(ref)) {
        fork = ref.number();
        break;
      }
    }
    LOG.info("follower {}: reorganisation, re-delivering from block {}", listenerId, fork + 1);
    listener.onReorg(fork + 1);
    cursor = cursor.rewoundTo(fork);
    store.save(listenerId, cursor);
    return true;
  }

  private boolean matches(FollowCursor.BlockRef ref) throws IOException {
    return blockHash(ref.number()).map(h -> h.equalsIgnoreCase(ref.hash())).orElse(false);
  }

  private Optional<String> blockHash(long number) throws IOException {
    EthBlock.Block block =
        web3j
            .ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(number)), false)
            .send()
            .getBlock();
    return Optional.ofNullable(block).map(EthBlock.Block::getHash);
  }

  private List<Log> getLogs(long from, long to) throws IOException {
    EthFilter filter =
        new EthFilter(
            DefaultBlockParameter.valueOf(BigInteger.valueOf(from)),
            DefaultBlockParameter.valueOf(BigInteger.valueOf(to)),
            config.addresses());
    EthLog response = web3j.ethGetLogs(filter).send();
    if (response.hasError()) {
      throw new ChainException("eth_getLogs failed: " + response.getError().getMessage());
    }
    List<Log> logs = new ArrayList<>(response.getLogs().size());
    for (EthLog.LogResult<?> r : response.getLogs()) {
      if (r.get() instanceof Log log) {
        logs.add(log);
      }
    }
    return logs;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static boolean sleepQuietly(Duration d) {
    try {
      Thread.sleep(d);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
