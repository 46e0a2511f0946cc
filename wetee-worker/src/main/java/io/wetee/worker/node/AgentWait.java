package io.wetee.worker.node;

import io.wetee.agent.AgentClient;
import io.wetee.agent.AgentProtocol;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The worker's view of the agents of its instances: one client per placement, status polling. */
final class AgentWait {
  private final Map<String, AgentClient> clients = new ConcurrentHashMap<>();

  AgentClient client(Placement p) {
    return clients.computeIfAbsent(
        p.id(),
        k ->
            AgentClient.create(
                URI.create("http://127.0.0.1:" + p.agentPort()), Duration.ofSeconds(5)));
  }

  void forget(Placement p) {
    clients.remove(p.id());
  }

  /**
   * Polls the agent's status until its state is one of {@code states} (or {@code failed}); empty on
   * timeout. An agent not answering yet (its JVM is starting) counts as not ready. Every 25 ms at
   * first, then every 50 ms: a loopback request costs well under a millisecond, and every pause
   * adds to the deploy's time to first answer (issue #5).
   */
  java.util.Optional<AgentProtocol.Status> await(
      Placement p, Set<String> states, Duration timeout) {
    AgentClient c = client(p);
    long end = System.nanoTime() + timeout.toNanos();
    long sleep = 25;
    while (System.nanoTime() < end) {
      try {
        if (c.status() instanceof AgentClient.Ok<AgentProtocol.Status> ok
            && (states.contains(ok.value().state()) || ok.value().state().equals("failed"))) {
          return java.util.Optional.of(ok.value());
        }
      } catch (RuntimeException e) {
        // not listening yet
      }
      try {
        Thread.sleep(sleep);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return java.util.Optional.empty();
      }
      sleep = Math.min(50, sleep * 2);
    }
    return java.util.Optional.empty();
  }

  static <T> java.util.Optional<T> ok(AgentClient.Reply<T> r) {
    return r instanceof AgentClient.Ok<T> ok
        ? java.util.Optional.of(ok.value())
        : java.util.Optional.empty();
  }
}
