package io.wetee.agent;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's periodic work once the program runs, each on its own virtual thread: metric samples
 * every {@code metrics.intervalMillis}; the spec's health check; and verdict renewal {@code
 * reattest.beforeExpirySeconds} before the current verdict expires (retrying every {@code
 * reattest.retrySeconds} after a failure). The worker picks renewed verdicts up from the
 * attestation document or asks with {@code POST /v1/reattest}, and submits {@code Cloud.reattest}.
 * {@link #close} interrupts all of them.
 */
final class Background implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Background.class);

  private final Agent agent;
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private volatile Optional<HealthChecker> health = Optional.empty();
  private volatile boolean closed;

  Background(Agent agent) {
    this.agent = agent;
  }

  synchronized void start(ContainerPlan plan) {
    if (closed) {
      return;
    }
    threads.add(Thread.ofVirtual().name("metrics").start(this::sampleMetrics));
    threads.add(Thread.ofVirtual().name("renewal").start(this::renewVerdicts));
    Optional<Integer> port = plan.healthPort(agent.config.health());
    if (plan.health().isPresent() && port.isPresent()) {
      int every = Optional.ofNullable(plan.health().get().intervalSeconds()).orElse(10);
      HealthChecker h =
          new HealthChecker(
              agent.http(),
              port.get(),
              plan.health().get().http(),
              Duration.ofSeconds(Math.max(1, every)),
              () -> agent.supervisor().flatMap(Supervisor::current).isPresent());
      health = Optional.of(h);
      h.start();
    }
  }

  private void sampleMetrics() {
    Duration every = Duration.ofMillis(agent.config.metrics().intervalMillis());
    while (!closed) {
      agent
          .supervisor()
          .ifPresent(
              s ->
                  s.current()
                      .ifPresent(
                          p -> agent.metrics.sample(p, s.restartCount(), agent.clock().millis())));
      if (!pause(every)) {
        return;
      }
    }
  }

  private void renewVerdicts() {
    long before = agent.config.reattest().beforeExpirySeconds();
    Duration retry = Duration.ofSeconds(agent.config.reattest().retrySeconds());
    while (!closed) {
      long expires = agent.attestation().map(a -> a.verdict().expiresAt()).orElse(0L);
      long waitSeconds = expires - before - agent.clock().instant().getEpochSecond();
      if (waitSeconds > 0) {
        if (!pause(Duration.ofSeconds(Math.min(waitSeconds, 60)))) {
          return;
        }
        continue;
      }
      if (agent.reattest() instanceof Attestor.Outcome.Refused r) {
        LOG.warn("verdict renewal failed ({}): {}", r.reason().code(), r.detail());
      }
      if (!pause(retry)) {
        return;
      }
    }
  }

  private boolean pause(Duration d) {
    try {
      Thread.sleep(d);
      return !closed;
    } catch (InterruptedException e) {
      return false;
    }
  }

  Optional<HealthChecker> health() {
    return health;
  }

  @Override
  public synchronized void close() {
    closed = true;
    threads.forEach(Thread::interrupt);
    health.ifPresent(HealthChecker::close);
  }
}
