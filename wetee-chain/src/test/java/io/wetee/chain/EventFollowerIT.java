package io.wetee.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wetee.chain.contracts.Cloud;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.http.HttpService;

@ExtendWith(HardhatExtension.class)
class EventFollowerIT {
  @TempDir Path dir;

  /** Records secret names from SecretPut logs and forgets the ones a reorganisation undoes. */
  static final class Recorder implements LogListener {
    final List<Long> blocks = new ArrayList<>();
    final List<String> names = new ArrayList<>();
    final List<Long> reorgs = new ArrayList<>();

    @Override
    public synchronized void onLogs(List<Log> logs) {
      for (Log log : logs) {
        blocks.add(log.getBlockNumber().longValueExact());
        names.add(Cloud.getSecretPutEventFromLog(log).name);
      }
    }

    @Override
    public synchronized void onReorg(long firstInvalidBlock) {
      reorgs.add(firstInvalidBlock);
      while (!blocks.isEmpty() && blocks.get(blocks.size() - 1) >= firstInvalidBlock) {
        blocks.remove(blocks.size() - 1);
        names.remove(names.size() - 1);
      }
    }

    synchronized List<String> names() {
      return List.copyOf(names);
    }
  }

  private static ChainClient client(Deployment d) {
    return ChainClient.connect(d, Optional.of(Credentials.create(d.account(4).privateKey())));
  }

  private static void put(ChainClient c, String... names) {
    for (String n : names) {
      c.cloud().putSecret(n, new byte[] {1, 2, 3});
    }
  }

  private EventFollower follower(ChainClient c, long start, Recorder r, String id) {
    EventFollower.Config cfg =
        EventFollower.Config.of(List.of(c.deployment().address("Cloud")), start)
            .withPollInterval(Duration.ofMillis(100));
    return new EventFollower(c.web3j(), cfg, new FileCursorStore(dir), id, r);
  }

  @Test
  void resumesAfterRestartWithoutLossOrDuplicates(Deployment d) {
    try (ChainClient c = client(d)) {
      long start = c.blockNumber() + 1;
      put(c, "a1", "a2", "a3");
      Recorder r = new Recorder();
      try (EventFollower f = follower(c, start, r, "resume")) {
        assertThat(f.catchUp()).isEqualTo(3);
      }
      put(c, "a4", "a5");
      try (EventFollower f = follower(c, start, r, "resume")) {
        assertThat(f.catchUp()).isEqualTo(2);
        assertThat(f.catchUp()).isZero();
      }
      assertThat(r.names()).containsExactly("a1", "a2", "a3", "a4", "a5");
    }
  }

  @Test
  void redeliversFromTheForkPointAfterAReorganisation(Deployment d, HardhatNode node) {
    try (ChainClient c = client(d)) {
      long start = c.blockNumber() + 1;
      put(c, "keep");
      String snapshot = node.rpc("evm_snapshot");
      put(c, "lost1", "lost2");
      Recorder r = new Recorder();
      EventFollower f = follower(c, start, r, "reorg");
      f.catchUp();
      assertThat(r.names()).containsExactly("keep", "lost1", "lost2");

      node.rpc("evm_revert", snapshot);
      put(c, "new1", "new2", "new3");
      f.catchUp();

      assertThat(r.reorgs).containsExactly(start + 1);
      assertThat(r.names()).containsExactly("keep", "new1", "new2", "new3");
    }
  }

  @Test
  void waitsForConfirmations(Deployment d, HardhatNode node) {
    try (ChainClient c = client(d)) {
      long start = c.blockNumber() + 1;
      put(c, "c1", "c2");
      Recorder r = new Recorder();
      EventFollower.Config cfg =
          EventFollower.Config.of(List.of(d.address("Cloud")), start).withConfirmations(2);
      EventFollower f = new EventFollower(c.web3j(), cfg, new FileCursorStore(dir), "conf", r);
      f.catchUp();
      assertThat(r.names()).isEmpty(); // c1 has 1 confirmation, c2 none
      node.rpc("evm_mine");
      f.catchUp();
      assertThat(r.names()).containsExactly("c1");
      node.rpc("evm_mine");
      f.catchUp();
      assertThat(r.names()).containsExactly("c1", "c2");
    }
  }

  @Test
  void survivesTheRpcGoingAwayAndResumes(Deployment d, HardhatNode node) throws IOException {
    int nodePort = Integer.parseInt(node.rpcUrl().substring(node.rpcUrl().lastIndexOf(':') + 1));
    try (ChainClient c = client(d);
        TcpProxy proxy = new TcpProxy(nodePort)) {
      proxy.up();
      Web3j viaProxy = Web3j.build(new HttpService(proxy.url()));
      long start = c.blockNumber() + 1;
      Recorder r = new Recorder();
      EventFollower.Config cfg =
          new EventFollower.Config(
              List.of(d.address("Cloud")),
              start,
              0,
              2000,
              Duration.ofMillis(50),
              Duration.ofMillis(400));
      try (EventFollower f =
          new EventFollower(viaProxy, cfg, new FileCursorStore(dir), "outage", r)) {
        f.start();
        put(c, "o1");
        await().atMost(Duration.ofSeconds(20)).until(() -> r.names().size() == 1);
        proxy.down();
        put(c, "o2", "o3");
        proxy.up();
        await().atMost(Duration.ofSeconds(20)).until(() -> r.names().size() == 3);
      } finally {
        viaProxy.shutdown();
      }
      assertThat(r.names()).containsExactly("o1", "o2", "o3");
    }
  }
}
