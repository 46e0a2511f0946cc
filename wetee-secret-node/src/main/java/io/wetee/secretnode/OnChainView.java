package io.wetee.secretnode;

import io.wetee.attestation.TeeType;
import io.wetee.chain.ChainClient;
import io.wetee.chain.ChainException;
import io.wetee.chain.CloudClient;
import io.wetee.chain.ContractRevertedException;
import io.wetee.chain.WorkloadInfo;
import io.wetee.chain.contracts.Cloud;
import io.wetee.common.Hex;
import io.wetee.crypto.Address;
import io.wetee.crypto.Keccak;
import java.io.IOException;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.TypeEncoder;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;

/**
 * {@link ChainView} over a {@link ChainClient}. State (workload, platform, secret records) is read
 * fresh on every call; specs and ciphertexts, which are content-addressed by their on-chain hash,
 * are found in the Cloud events that carry them (calldata is not stored) and cached by hash.
 */
final class OnChainView implements ChainView {
  private static final String CREATED = EventEncoder.encode(Cloud.WORKLOADCREATED_EVENT);
  private static final String UPDATED = EventEncoder.encode(Cloud.WORKLOADUPDATED_EVENT);
  private static final String SECRET_PUT = EventEncoder.encode(Cloud.SECRETPUT_EVENT);

  private final ChainClient chain;
  private final Address cloud;
  private final Map<String, byte[]> byHash = new ConcurrentHashMap<>();

  OnChainView(ChainClient chain) {
    this.chain = chain;
    this.cloud = Address.fromHex(chain.deployment().address("Cloud"));
  }

  @Override
  public BigInteger chainId() {
    return BigInteger.valueOf(chain.deployment().chainId());
  }

  @Override
  public Address cloud() {
    return cloud;
  }

  @Override
  public Optional<WorkloadInfo> workload(long workloadId) {
    try {
      return Optional.of(chain.cloud().workload(workloadId));
    } catch (ContractRevertedException e) {
      if (e.errorName().equals("UnknownWorkload")) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public Optional<byte[]> spec(long workloadId, long version, String specHash) {
    String key = specHash.toLowerCase(Locale.ROOT);
    byte[] cached = byHash.get(key);
    if (cached != null) {
      return Optional.of(cached);
    }
    String idTopic = "0x" + TypeEncoder.encode(new Uint64(BigInteger.valueOf(workloadId)));
    EthFilter f = filter();
    f.addOptionalTopics(CREATED, UPDATED);
    f.addSingleTopic(idTopic);
    for (Log log : logs(f)) {
      String topic0 = log.getTopics().get(0);
      byte[] spec =
          topic0.equalsIgnoreCase(CREATED)
              ? Cloud.getWorkloadCreatedEventFromLog(log).spec
              : Cloud.getWorkloadUpdatedEventFromLog(log).spec;
      if (Hex.encode0x(Keccak.keccak256(spec)).equals(key)) {
        byHash.put(key, spec);
        return Optional.of(spec);
      }
    }
    return Optional.empty();
  }

  @Override
  public Optional<Long> platformWorker(TeeType type, byte[] identity) {
    return chain.subnet().platformWorker(type, identity);
  }

  @Override
  public CloudClient.SecretRecord secret(String owner, String name) {
    return chain.cloud().secret(owner, name);
  }

  @Override
  public Optional<byte[]> ciphertext(String owner, String name, long version, String hash) {
    String key = hash.toLowerCase(Locale.ROOT);
    byte[] cached = byHash.get(key);
    if (cached != null) {
      return Optional.of(cached);
    }
    EthFilter f = filter();
    f.addSingleTopic(SECRET_PUT);
    f.addSingleTopic("0x" + "0".repeat(24) + owner.substring(2).toLowerCase(Locale.ROOT));
    List<Log> logs = logs(f);
    for (int i = logs.size() - 1; i >= 0; i--) {
      Cloud.SecretPutEventResponse e = Cloud.getSecretPutEventFromLog(logs.get(i));
      if (e.name.equals(name)
          && e.version.longValueExact() == version
          && Hex.encode0x(e.ciphertextHash).equals(key)
          && Hex.encode0x(Keccak.keccak256(e.ciphertext)).equals(key)) {
        byHash.put(key, e.ciphertext);
        return Optional.of(e.ciphertext);
      }
    }
    return Optional.empty();
  }

  private EthFilter filter() {
    return new EthFilter(
        DefaultBlockParameter.valueOf(BigInteger.valueOf(chain.deployment().deployBlock())),
        DefaultBlockParameterName.LATEST,
        cloud.toString());
  }

  private List<Log> logs(EthFilter filter) {
    EthLog response;
    try {
      response = chain.web3j().ethGetLogs(filter).send();
    } catch (IOException e) {
      throw new ChainException("eth_getLogs failed: " + e.getMessage(), e);
    }
    if (response.hasError()) {
      throw new ChainException("eth_getLogs failed: " + response.getError().getMessage());
    }
    List<Log> out = new java.util.ArrayList<>();
    for (EthLog.LogResult<?> r : response.getLogs()) {
      if (r.get() instanceof Log log) {
        out.add(log);
      }
    }
    return out;
  }
}
