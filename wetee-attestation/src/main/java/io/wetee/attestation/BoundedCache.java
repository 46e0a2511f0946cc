package io.wetee.attestation;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A thread-safe memo with a size bound: when full it is cleared (simple, and enough for caches
 * whose working set is the handful of platforms and collateral sets a node sees).
 */
final class BoundedCache<K, V> {
  private final ConcurrentHashMap<K, V> map = new ConcurrentHashMap<>();
  private final int max;

  BoundedCache(int max) {
    this.max = max;
  }

  V get(K key, Function<K, V> compute) {
    V v = map.get(key);
    if (v != null) {
      return v;
    }
    v = compute.apply(key);
    if (map.size() >= max) {
      map.clear();
    }
    map.put(key, v);
    return v;
  }
}
