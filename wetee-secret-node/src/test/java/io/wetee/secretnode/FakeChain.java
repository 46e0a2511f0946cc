package io.wetee.secretnode;

import io.wetee.attestation.TeeType;
import io.wetee.chain.CloudClient;
import io.wetee.chain.Resources;
import io.wetee.chain.WorkloadInfo;
import io.wetee.chain.WorkloadKind;
import io.wetee.common.Hex;
import io.wetee.crypto.Address;
import io.wetee.crypto.Keccak;
import java.math.BigInteger;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** An in-memory {@link ChainView} for unit tests: workloads, specs, platforms and secrets. */
final class FakeChain implements ChainView {
  static final BigInteger CHAIN_ID = BigInteger.valueOf(31337);
  static final Address CLOUD = Address.fromHex("0x00000000000000000000000000000000000c1001");
  static final Address COMMITTEE = Address.fromHex("0x00000000000000000000000000000000000c0111");

  final Map<Long, WorkloadInfo> workloads = new ConcurrentHashMap<>();
  final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
  final Map<String, Long> platforms = new ConcurrentHashMap<>();
  final Map<String, CloudClient.SecretRecord> secrets = new ConcurrentHashMap<>();

  static WorkloadInfo workload(
      long id, String owner, long worker, long version, String specHash, WorkloadInfo.Status s) {
    return new WorkloadInfo(
        id,
        owner,
        worker,
        WorkloadKind.SERVICE,
        s,
        Set.of(TeeType.SIMULATED),
        false,
        0,
        0,
        new Resources(100, 64, 1, 0),
        version,
        specHash,
        "0x0000000000000000000000000000000000000000",
        0,
        0,
        BigInteger.ONE,
        BigInteger.TEN,
        BigInteger.ZERO,
        500,
        BigInteger.ZERO,
        0,
        0,
        0,
        "");
  }

  /** Stores a spec; returns its hash. */
  String putSpec(byte[] json) {
    String hash = Hex.encode0x(Keccak.keccak256(json));
    blobs.put(hash, json);
    return hash;
  }

  void putSecret(String owner, String name, long version, byte[] ciphertext) {
    String hash = Hex.encode0x(Keccak.keccak256(ciphertext));
    blobs.put(hash, ciphertext);
    secrets.put(
        owner.toLowerCase(java.util.Locale.ROOT) + "/" + name,
        new CloudClient.SecretRecord(owner, name, hash, version, true));
  }

  void registerPlatform(byte[] id, long worker) {
    platforms.put(Hex.encode(id), worker);
  }

  @Override
  public BigInteger chainId() {
    return CHAIN_ID;
  }

  @Override
  public Address cloud() {
    return CLOUD;
  }

  @Override
  public Optional<WorkloadInfo> workload(long workloadId) {
    return Optional.ofNullable(workloads.get(workloadId));
  }

  @Override
  public Optional<byte[]> spec(long workloadId, long version, String specHash) {
    return Optional.ofNullable(blobs.get(specHash));
  }

  @Override
  public Optional<Long> platformWorker(TeeType type, byte[] identity) {
    return Optional.ofNullable(platforms.get(Hex.encode(identity)));
  }

  @Override
  public CloudClient.SecretRecord secret(String owner, String name) {
    return secrets.getOrDefault(
        owner.toLowerCase(java.util.Locale.ROOT) + "/" + name,
        new CloudClient.SecretRecord(owner, name, Hex.encode0x(new byte[32]), 0, false));
  }

  @Override
  public Optional<byte[]> ciphertext(String owner, String name, long version, String hash) {
    return Optional.ofNullable(blobs.get(hash));
  }
}
