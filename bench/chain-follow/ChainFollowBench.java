import io.wetee.chain.ChainClient;
import io.wetee.chain.Deployment;
import io.wetee.chain.EventFollower;
import io.wetee.chain.FileCursorStore;
import io.wetee.chain.HardhatNode;
import io.wetee.chain.LogListener;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;

/**
 * Fills a Hardhat node with SecretPut events, then ingests all of them repeatedly, alternating a
 * bare eth_getLogs loop (the baseline: the least any follower must do) and EventFollower (which
 * also checks block hashes for reorganisations and persists its cursor after each batch). Both use
 * the same web3j client and the same block range per request. Prints median events/s and the ratio.
 */
public class ChainFollowBench {
  static final int RANGE = 2000;

  public static void main(String[] args) throws Exception {
    Path contracts = Path.of(args[0]);
    int events = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
    int perBlock = args.length > 2 ? Integer.parseInt(args[2]) : 50;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 7;
    Path work = Files.createTempDirectory("chain-follow-bench");
    try (HardhatNode node =
        HardhatNode.start(contracts, HardhatNode.freePort(), Optional.empty(), work.resolve("node.log"))) {
      Deployment d = node.deploy(work.resolve("deployment.json"), Map.of());
      long start;
      long head;
      try (ChainClient c = ChainClient.connect(d, Optional.of(Credentials.create(d.account(5).privateKey())))) {
        start = c.blockNumber() + 1;
        fill(node, c, events, perBlock);
        head = c.blockNumber();
      }
      Web3j web3j = node.web3j();
      List<String> addresses = List.of(d.address("Cloud"));
      System.out.printf("node: Hardhat %s, %d events in blocks %d..%d (%d per block), range %d blocks%n",
          node.rpcUrl(), events, start, head, perBlock, RANGE);
      double[] bare = new double[rounds];
      double[] follower = new double[rounds];
      for (int i = -1; i < rounds; i++) { // round -1 warms up both paths
        double b = rate(events, () -> bareLoop(web3j, addresses, start, head));
        Path cursors = work.resolve("cursors-" + i);
        double f = rate(events, () -> followerLoop(web3j, addresses, start, cursors));
        if (i >= 0) {
          bare[i] = b;
          follower[i] = f;
        }
      }
      double mb = median(bare);
      double mf = median(follower);
      System.out.printf("bare eth_getLogs loop : %,.0f events/s (median of %d)%n", mb, rounds);
      System.out.printf("EventFollower         : %,.0f events/s (median of %d)%n", mf, rounds);
      System.out.printf("ratio follower/bare   : %.2f (goal >= 0.80)%n", mf / mb);
    }
  }

  interface Count {
    long run() throws Exception;
  }

  static double rate(int expected, Count c) throws Exception {
    long t0 = System.nanoTime();
    long n = c.run();
    long t1 = System.nanoTime();
    if (n != expected) {
      throw new IllegalStateException("ingested " + n + " events, expected " + expected);
    }
    return n / ((t1 - t0) / 1e9);
  }

  static long bareLoop(Web3j web3j, List<String> addresses, long start, long head) throws Exception {
    long n = 0;
    for (long from = start; from <= head; from += RANGE) {
      long to = Math.min(head, from + RANGE - 1);
      EthFilter f = new EthFilter(
          DefaultBlockParameter.valueOf(BigInteger.valueOf(from)),
          DefaultBlockParameter.valueOf(BigInteger.valueOf(to)), addresses);
      EthLog logs = web3j.ethGetLogs(f).send();
      for (EthLog.LogResult<?> r : logs.getLogs()) {
        if (r.get() instanceof Log) {
          n++;
        }
      }
    }
    return n;
  }

  static long followerLoop(Web3j web3j, List<String> addresses, long start, Path cursors) {
    AtomicLong n = new AtomicLong();
    LogListener counter = logs -> n.addAndGet(logs.size());
    EventFollower.Config cfg = EventFollower.Config.of(addresses, start).withMaxRange(RANGE);
    EventFollower follower = new EventFollower(web3j, cfg, new FileCursorStore(cursors), "bench", counter);
    follower.catchUp();
    return n.get();
  }

  static void fill(HardhatNode node, ChainClient c, int events, int perBlock) throws Exception {
    node.rpc("evm_setAutomine", false);
    try {
      for (int i = 0; i < events; i++) {
        c.sender().submit(c.deployment().address("Cloud"), putSecret("s" + i), BigInteger.ZERO);
        if ((i + 1) % perBlock == 0) {
          node.rpc("evm_mine");
        }
      }
      node.rpc("evm_mine");
    } finally {
      node.rpc("evm_setAutomine", true);
    }
  }

  static String putSecret(String name) {
    return org.web3j.abi.FunctionEncoder.encode(new org.web3j.abi.datatypes.Function(
        "putSecret",
        List.of(new org.web3j.abi.datatypes.Utf8String(name),
            new org.web3j.abi.datatypes.DynamicBytes(new byte[] {1, 2, 3, 4})),
        List.of()));
  }

  static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
