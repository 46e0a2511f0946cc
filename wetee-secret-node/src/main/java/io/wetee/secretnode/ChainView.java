package io.wetee.secretnode;

import io.wetee.attestation.TeeType;
import io.wetee.chain.CloudClient;
import io.wetee.chain.WorkloadInfo;
import io.wetee.crypto.Address;
import java.math.BigInteger;
import java.util.Optional;

/**
 * What the release checks read from the chain. The production implementation is {@link
 * OnChainView}; unit tests use a fake. Implementations are thread-safe; failures to read the chain
 * are {@link io.wetee.chain.ChainException}s.
 */
interface ChainView {
  BigInteger chainId();

  /** The Cloud contract's address (part of report_data and of secret bindings). */
  Address cloud();

  /** The workload, or empty when no such workload exists. */
  Optional<WorkloadInfo> workload(long workloadId);

  /** The canonical spec JSON of a workload version whose keccak256 is {@code specHash}. */
  Optional<byte[]> spec(long workloadId, long version, String specHash);

  /** The worker that registered this platform identity. */
  Optional<Long> platformWorker(TeeType type, byte[] identity);

  /** The owner's secret record (hash, version, exists). */
  CloudClient.SecretRecord secret(String owner, String name);

  /** The ciphertext of a secret version whose keccak256 is {@code hash}. */
  Optional<byte[]> ciphertext(String owner, String name, long version, String hash);
}
