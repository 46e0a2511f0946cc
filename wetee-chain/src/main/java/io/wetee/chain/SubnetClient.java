package io.wetee.chain;

import io.wetee.attestation.TeeType;
import io.wetee.chain.contracts.Subnet;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.web3j.abi.EventEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.gas.ContractGasProvider;

/**
 * Typed access to the Subnet contract: regions, levels, workers, platform identities, complaints
 * and secret nodes. Every method is one transaction or call; failures are {@link ChainException}s,
 * reverts {@link ContractRevertedException}s naming the custom error. Thread-safe.
 */
public final class SubnetClient {
  private final ChainClient chain;
  private final Subnet contract;

  SubnetClient(
      ChainClient chain,
      String address,
      Web3j web3j,
      TransactionManager tm,
      ContractGasProvider gas) {
    this.chain = chain;
    this.contract = Subnet.load(address, web3j, tm, gas);
  }

  /** The generated wrapper, for event decoding. */
  public Subnet contract() {
    return contract;
  }

  // ------------------------------------------------------------------ workers

  /** Registers a worker operated by the client's account; returns its id. */
  public long registerWorker(WorkerSpec spec) {
    TransactionReceipt r = Tx.send(contract.registerWorker(toSpec(spec)));
    return Subnet.getWorkerRegisteredEvents(r).get(0).workerId.longValueExact();
  }

  /** Updates a worker's declaration. */
  public TransactionReceipt updateWorker(long workerId, WorkerSpec spec) {
    return Tx.send(contract.updateWorker(big(workerId), toSpec(spec)));
  }

  /** Adds {@code wei} to a worker's stake. */
  public TransactionReceipt stakeWorker(long workerId, BigInteger wei) {
    return Tx.send(contract.stakeWorker(big(workerId), wei));
  }

  /** Stops taking new workloads (starts the unstake cooldown). */
  public TransactionReceipt stopWorker(long workerId) {
    return Tx.send(contract.stopWorker(big(workerId)));
  }

  /** Moves the whole stake to the operator's withdrawable balance, after the cooldown. */
  public TransactionReceipt unstakeWorker(long workerId) {
    return Tx.send(contract.unstakeWorker(big(workerId)));
  }

  /** Pays out the caller's withdrawable Subnet balance (unstaked funds, complaint payouts). */
  public TransactionReceipt withdraw() {
    return Tx.send(contract.withdraw());
  }

  /** The caller's or any account's withdrawable Subnet balance. */
  public BigInteger balanceOf(String account) {
    return Tx.call(contract.balances(account));
  }

  /** One worker; throws {@code UnknownWorker} for an id never registered. */
  public WorkerInfo worker(long workerId) {
    Subnet.WorkerView v = Tx.call(contract.getWorker(big(workerId)));
    return new WorkerInfo(
        v.id.longValueExact(),
        v.account,
        v.name,
        v.endpoint,
        v.regionId.intValueExact(),
        v.levelId.intValueExact(),
        TeeTypes.of(v.teeTypes.intValueExact()),
        WorkerInfo.Status.values()[v.status.intValueExact()],
        v.active,
        v.stoppedAt.longValueExact(),
        v.stake,
        resources(v.capacity),
        resources(v.used),
        v.workloads.longValueExact());
  }

  /** Every registered worker, in id order. */
  public List<WorkerInfo> workers() {
    long next = Tx.call(contract.nextWorkerId()).longValueExact();
    List<WorkerInfo> all = new ArrayList<>();
    for (long id = 0; id < next; id++) {
      try {
        all.add(worker(id));
      } catch (ContractRevertedException e) {
        if (!e.errorName().equals("UnknownWorker")) {
          throw e;
        }
      }
    }
    return all;
  }

  /** Whether a worker may take new workloads. */
  public boolean isWorkerActive(long workerId) {
    return Tx.call(contract.isWorkerActive(big(workerId)));
  }

  // ------------------------------------------------------------------ platforms

  /** Registers a platform identity (see the contract for the identity bytes per TEE type). */
  public TransactionReceipt registerPlatform(long workerId, TeeType type, byte[] identity) {
    return Tx.send(contract.registerPlatform(big(workerId), big(type.code()), identity));
  }

  /** Removes a platform identity. */
  public TransactionReceipt removePlatform(long workerId, TeeType type, byte[] identity) {
    return Tx.send(contract.removePlatform(big(workerId), big(type.code()), identity));
  }

  /** The worker that registered this platform identity, if any. */
  public Optional<Long> platformWorker(TeeType type, byte[] identity) {
    var t = Tx.call(contract.platformWorker(big(type.code()), identity));
    return t.component1() ? Optional.of(t.component2().longValueExact()) : Optional.empty();
  }

  // ------------------------------------------------------------------ complaints

  /** Files a complaint with a deposit; returns the complaint id. */
  public long complain(long workerId, String reason, byte[] evidenceHash, BigInteger deposit) {
    TransactionReceipt r = Tx.send(contract.complain(big(workerId), reason, evidenceHash, deposit));
    return Subnet.getComplaintFiledEvents(r).get(0).complaintId.longValueExact();
  }

  /** Admin: upholds (slashing {@code slash} wei) or rejects a complaint. */
  public TransactionReceipt resolveComplaint(long complaintId, boolean uphold, BigInteger slash) {
    return Tx.send(contract.resolveComplaint(big(complaintId), uphold, slash));
  }

  /** A complaint as stored. */
  public Subnet.Complaint complaint(long complaintId) {
    return Tx.call(contract.getComplaint(big(complaintId)));
  }

  // ------------------------------------------------------------------ secret nodes

  /** Registers a secret node operated by the caller; returns its id. */
  public long registerSecretNode(String endpoint, byte[] encryptionKey) {
    TransactionReceipt r = Tx.send(contract.registerSecretNode(endpoint, encryptionKey));
    return Subnet.getSecretNodeRegisteredEvents(r).get(0).nodeId.longValueExact();
  }

  public TransactionReceipt stakeSecretNode(long nodeId, BigInteger wei) {
    return Tx.send(contract.stakeSecretNode(big(nodeId), wei));
  }

  public TransactionReceipt leaveSecretNode(long nodeId) {
    return Tx.send(contract.leaveSecretNode(big(nodeId)));
  }

  public TransactionReceipt unstakeSecretNode(long nodeId) {
    return Tx.send(contract.unstakeSecretNode(big(nodeId)));
  }

  /** One secret node; throws {@code UnknownSecretNode} for an unknown id. */
  public SecretNodeInfo secretNode(long nodeId) {
    Subnet.SecretNode n = Tx.call(contract.getSecretNode(big(nodeId)));
    return new SecretNodeInfo(
        nodeId,
        n.account,
        SecretNodeInfo.Status.values()[n.status.intValueExact()],
        n.leftAt.longValueExact(),
        n.stake,
        n.endpoint,
        n.encryptionKey);
  }

  /** Every registered secret node, in id order. */
  public List<SecretNodeInfo> secretNodes() {
    long next = Tx.call(contract.nextSecretNodeId()).longValueExact();
    List<SecretNodeInfo> all = new ArrayList<>();
    for (long id = 0; id < next; id++) {
      try {
        all.add(secretNode(id));
      } catch (ContractRevertedException e) {
        if (!e.errorName().equals("UnknownSecretNode")) {
          throw e;
        }
      }
    }
    return all;
  }

  // ------------------------------------------------------------------ regions and levels

  /** A level's prices, minimum stake and maxima; throws {@code UnknownLevel}. */
  public LevelInfo level(int levelId) {
    Subnet.Level l = Tx.call(contract.getLevel(big(levelId)));
    return new LevelInfo(
        levelId,
        l.priceCpu,
        l.priceMemory,
        l.priceDisk,
        l.priceGpu,
        l.minStake,
        new Resources(
            l.maxCpu.longValueExact(),
            l.maxMemory.longValueExact(),
            l.maxDisk.longValueExact(),
            l.maxGpu.intValueExact()));
  }

  /** A region's name; throws {@code UnknownRegion}. */
  public String region(int regionId) {
    return Tx.call(contract.getRegion(big(regionId)));
  }

  /** Every level ever set (found through its LevelSet events), with its current values. */
  public List<LevelInfo> levels() {
    return idsFromEvents(EventEncoder.encode(Subnet.LEVELSET_EVENT)).stream()
        .map(id -> level(id.intValue()))
        .toList();
  }

  /** Every region ever set, id to name. */
  public TreeMap<Integer, String> regions() {
    TreeMap<Integer, String> map = new TreeMap<>();
    for (Long id : idsFromEvents(EventEncoder.encode(Subnet.REGIONSET_EVENT))) {
      map.put(id.intValue(), region(id.intValue()));
    }
    return map;
  }

  private List<Long> idsFromEvents(String topic) {
    EthFilter filter =
        new EthFilter(
            DefaultBlockParameter.valueOf(BigInteger.valueOf(chain.deployment().deployBlock())),
            DefaultBlockParameterName.LATEST,
            contract.getContractAddress());
    filter.addSingleTopic(topic);
    EthLog logs = ChainClient.rpc(() -> chain.web3j().ethGetLogs(filter).send());
    if (logs.hasError()) {
      throw new ChainException("eth_getLogs failed: " + logs.getError().getMessage());
    }
    return logs.getLogs().stream()
        .map(r -> (Log) r.get())
        .map(l -> new BigInteger(l.getTopics().get(1).substring(2), 16).longValueExact())
        .distinct()
        .sorted()
        .toList();
  }

  // ------------------------------------------------------------------ admin (owner; later the
  // timelock)

  public TransactionReceipt setRegion(int regionId, String name) {
    return Tx.send(contract.setRegion(big(regionId), name));
  }

  public TransactionReceipt setLevel(LevelInfo level) {
    return Tx.send(
        contract.setLevel(
            big(level.id()),
            new Subnet.Level(
                level.priceCpu(),
                level.priceMemory(),
                level.priceDisk(),
                level.priceGpu(),
                level.minStake(),
                big(level.max().cpu()),
                big(level.max().memory()),
                big(level.max().disk()),
                big(level.max().gpu()))));
  }

  public TransactionReceipt setUnstakeCooldown(long blocks) {
    return Tx.send(contract.setUnstakeCooldown(big(blocks)));
  }

  public TransactionReceipt setComplaintParams(BigInteger minDeposit, int complainantShareBps) {
    return Tx.send(contract.setComplaintParams(minDeposit, big(complainantShareBps)));
  }

  public TransactionReceipt setSecretNodeMinStake(BigInteger minStake) {
    return Tx.send(contract.setSecretNodeMinStake(minStake));
  }

  public TransactionReceipt withdrawTreasury(String to, BigInteger amount) {
    return Tx.send(contract.withdrawTreasury(to, amount));
  }

  /** Starts handing the admin role to {@code newOwner} (e.g. a timelock), which must accept. */
  public TransactionReceipt transferAdmin(String newOwner) {
    return Tx.send(contract.transferOwnership(newOwner));
  }

  public TransactionReceipt acceptAdmin() {
    return Tx.send(contract.acceptOwnership());
  }

  public String admin() {
    return Tx.call(contract.owner());
  }

  public BigInteger treasuryBalance() {
    return Tx.call(contract.treasuryBalance());
  }

  public long unstakeCooldown() {
    return Tx.call(contract.unstakeCooldown()).longValueExact();
  }

  public BigInteger complaintMinDeposit() {
    return Tx.call(contract.complaintMinDeposit());
  }

  public int complainantShareBps() {
    return Tx.call(contract.complainantShareBps()).intValueExact();
  }

  public BigInteger secretNodeMinStake() {
    return Tx.call(contract.secretNodeMinStake());
  }

  // ------------------------------------------------------------------ conversions

  static Subnet.WorkerSpec toSpec(WorkerSpec s) {
    return new Subnet.WorkerSpec(
        s.name(),
        s.endpoint(),
        big(s.regionId()),
        big(s.levelId()),
        big(TeeTypes.mask(s.teeTypes())),
        big(s.capacity().cpu()),
        big(s.capacity().memory()),
        big(s.capacity().disk()),
        big(s.capacity().gpu()));
  }

  private static Resources resources(Subnet.Resources r) {
    return new Resources(
        r.cpu.longValueExact(),
        r.mem.longValueExact(),
        r.disk.longValueExact(),
        r.gpu.intValueExact());
  }

  static BigInteger big(long v) {
    return BigInteger.valueOf(v);
  }
}
