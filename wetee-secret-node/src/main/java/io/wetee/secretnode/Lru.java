package io.wetee.secretnode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A bounded map of values computed from their keys, least recently used dropped first. Thread-safe;
 * a value is computed outside the lock (two threads may compute the same one, harmlessly), and a
 * computation that throws keeps nothing.
 */
final class Lru<K, V> {
  private final Map<K, V> entries;

  Lru(int capacity) {
    this.entries =
        new LinkedHashMap<>(64, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
            return size() > capacity;
          }
        };
  }

  /** The value kept for {@code key}, or {@code compute}'s, which is then kept. */
  V get(K key, Supplier<V> compute) {
    synchronized (entries) {
      V known = entries.get(key);
      if (known != null) {
        return known;
      }
    }
    V fresh = compute.get();
    synchronized (entries) {
      entries.put(key, fresh);
    }
    return fresh;
  }
}
