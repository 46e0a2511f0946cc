package io.wetee.chain;

import io.wetee.attestation.TeeType;
import java.util.Set;

/**
 * What a worker operator declares on registration or update.
 *
 * @param name display name
 * @param endpoint the worker's public URL (proxied workload ports, logs, bridge)
 * @param regionId region the worker is in
 * @param levelId price level it offers
 * @param teeTypes TEE types its hardware supports
 * @param capacity total resources it offers
 */
public record WorkerSpec(
    String name,
    String endpoint,
    int regionId,
    int levelId,
    Set<TeeType> teeTypes,
    Resources capacity) {
  public WorkerSpec {
    teeTypes = Set.copyOf(teeTypes);
  }
}
