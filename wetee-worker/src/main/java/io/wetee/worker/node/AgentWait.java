package io.wetee.worker.node;

import io.wetee.agent.AgentClient;
import io.wetee.agent.AgentProtocol;
import io.wetee.worker.spi.InstanceId;
import io.wetee.worker.spi.InstanceStatus;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The worker's view of the agents of its instances: one client per placement at the address the
 * runtime reports for the instance ({@link InstanceStatus#host()}: loopback for the local runtime,
 * the pod's IP for Kubernetes), and status polling. An instance the runtime does not know, or knows
 * without an address yet, has no client: it is not ready.
 */
final class AgentWait {
  private record Entry(String host, AgentClient client) {}

  private final Function<InstanceId, Optional<InstanceStatus>> status;
  private final Map<String, Entry> clients = new ConcurrentHashMap<>();

  /**
   * @param status the runtime's status of an instance (where its agent is reachable)
   */
  AgentWait(Function<InstanceId, Optional<InstanceStatus>> status) {
    this.status = status;
  }

  /**
   * A client for the placement's agent at the instance's current address; empty while the instance
   * has none. A new address (a pod replaced by its Deployment) gets a new client.
   */
  Optional<AgentClient> client(Placement p) {
    Optional<String> host =
        status.apply(p.instanceId()).filter(InstanceStatus::addressed).map(InstanceStatus::host);
    if (host.isEmpty()) {
      return Optional.empty();
    }
    Entry e =
        clients.compute(
            p.id(),
            (k, old) ->
                old != null && old.host().equals(host.get())
                    ? old
                    : new Entry(
                        host.get(),
                        AgentClient.create(
                            URI.create("http://" + hostPart(host.get()) + ":" + p.agentPort()),
                            Duration.ofSeconds(5))));
    return Optional.of(e.client());
  }

  void forget(Placement p) {
    clients.remove(p.id());
  }

  /**
   * Polls the agent's status until its state is one of {@code states} (or {@code failed}); empty on
   * timeout. An instance without an address, or an agent not answering yet (its JVM is starting),
   * counts as not ready. Every 25 ms at first, then every 50 ms: a loopback request costs well
   * under a millisecond, and every pause adds to the deploy's time to first answer (issue #5). The
   * address is looked up again only while there is none or the agent does not answer, so a cluster
   * runtime's API is not asked on every poll of a reachable agent.
   */
  Optional<AgentProtocol.Status> await(Placement p, Set<String> states, Duration timeout) {
    Optional<AgentClient> c = Optional.empty();
    long end = System.nanoTime() + timeout.toNanos();
    long sleep = 25;
    while (System.nanoTime() < end) {
      if (c.isEmpty()) {
        c = client(p);
      }
      if (c.isPresent()) {
        try {
          AgentClient.Reply<AgentProtocol.Status> r = c.get().status();
          if (r instanceof AgentClient.Ok<AgentProtocol.Status> ok
              && (states.contains(ok.value().state()) || ok.value().state().equals("failed"))) {
            return Optional.of(ok.value());
          }
          if (r instanceof AgentClient.Failed<AgentProtocol.Status> f && f.status() == 0) {
            c = Optional.empty(); // not listening (yet), or the address changed
          }
        } catch (RuntimeException e) {
          c = Optional.empty(); // not listening yet
        }
      }
      try {
        Thread.sleep(sleep);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
      sleep = Math.min(50, sleep * 2);
    }
    return Optional.empty();
  }

  static <T> Optional<T> ok(AgentClient.Reply<T> r) {
    return r instanceof AgentClient.Ok<T> ok ? Optional.of(ok.value()) : Optional.empty();
  }

  /** An address as the host part of a URL (an IPv6 pod IP in brackets). */
  static String hostPart(String host) {
    return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
  }
}
