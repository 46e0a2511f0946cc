package io.wetee.chain;

import io.wetee.attestation.TeeType;
import java.math.BigInteger;
import java.util.Set;

/**
 * Chain set-up shared by the integration tests of several modules (published in this module's
 * test-jar): a staked SIMULATED worker with its platform key, and a small service workload.
 */
public final class Fixtures {
  /** The stake a fixture worker puts down: 1 ETH. */
  public static final BigInteger WORKER_STAKE = BigInteger.TEN.pow(18);

  /** The deposit of a fixture workload: 0.1 ETH. */
  public static final BigInteger WORKLOAD_DEPOSIT = BigInteger.TEN.pow(17);

  private Fixtures() {}

  /**
   * Registers the account's worker (SIMULATED, 4 cores, 8 GiB, 100 GiB, endpoint unused), stakes
   * {@link #WORKER_STAKE} and registers {@code platformKey} (compressed secp256k1) as its platform.
   *
   * @return the worker id
   */
  public static long registerSimulatedWorker(ChainClient worker, byte[] platformKey) {
    long id =
        worker
            .subnet()
            .registerWorker(
                new WorkerSpec(
                    "w",
                    "http://127.0.0.1:1",
                    0,
                    0,
                    Set.of(TeeType.SIMULATED),
                    new Resources(4000, 8192, 100, 0)));
    worker.subnet().stakeWorker(id, WORKER_STAKE);
    worker.subnet().registerPlatform(id, TeeType.SIMULATED, platformKey);
    return id;
  }

  /**
   * Creates a SIMULATED service of the owner on the worker, with {@code spec} (canonical JSON), 0.1
   * core, 64 MiB, 1 GiB, free, with {@link #WORKLOAD_DEPOSIT}.
   *
   * @return the workload id
   */
  public static long createService(ChainClient owner, long workerId, byte[] spec) {
    return owner
        .cloud()
        .create(
            new CreateWorkload(
                workerId,
                WorkloadKind.SERVICE,
                Set.of(TeeType.SIMULATED),
                false,
                0,
                0,
                new Resources(100, 64, 1, 0),
                BigInteger.ZERO,
                0,
                spec,
                WORKLOAD_DEPOSIT));
  }
}
