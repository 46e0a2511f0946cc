package io.wetee.secretnode;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets per client key: {@code perSecond} tokens refill, up to {@code burst}. Buckets idle
 * long enough to be full again are dropped when the map grows past a bound, so memory stays bounded
 * under many clients. Thread-safe.
 */
final class RateLimiter {
  private static final int MAX_CLIENTS = 10_000;

  private static final class Bucket {
    double tokens;
    long lastNanos;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.lastNanos = now;
    }
  }

  private final double perSecond;
  private final int burst;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  RateLimiter(double perSecond, int burst) {
    this.perSecond = perSecond;
    this.burst = burst;
  }

  /** Takes one token for {@code client}; false when its bucket is empty. */
  boolean tryAcquire(String client, long nowNanos) {
    if (buckets.size() > MAX_CLIENTS) {
      buckets.values().removeIf(b -> refill(b, nowNanos) >= burst);
    }
    Bucket b = buckets.computeIfAbsent(client, k -> new Bucket(burst, nowNanos));
    synchronized (b) {
      refill(b, nowNanos);
      if (b.tokens < 1) {
        return false;
      }
      b.tokens -= 1;
      return true;
    }
  }

  private double refill(Bucket b, long now) {
    synchronized (b) {
      double elapsed = Math.max(0, now - b.lastNanos) / 1e9;
      b.tokens = Math.min(burst, b.tokens + elapsed * perSecond);
      b.lastNanos = now;
      return b.tokens;
    }
  }
}
