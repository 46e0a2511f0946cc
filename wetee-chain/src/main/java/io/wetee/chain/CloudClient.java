package io.wetee.chain;

import io.wetee.chain.CommitteeClient.SignedBy;
import io.wetee.chain.contracts.Cloud;
import io.wetee.common.Hex;
import io.wetee.crypto.EthSignature;
import io.wetee.crypto.RunResult;
import io.wetee.crypto.SettleProof;
import io.wetee.crypto.Verdict;
import java.math.BigInteger;
import java.util.List;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.gas.ContractGasProvider;

/**
 * Typed access to the Cloud contract: workloads (create, update, settings, recharge, stop),
 * attested starts and re-attestation, settlement, task runs, payments and secrets. Thread-safe.
 */
public final class CloudClient {
  private final Cloud contract;

  CloudClient(
      ChainClient chain,
      String address,
      Web3j web3j,
      TransactionManager tm,
      ContractGasProvider gas) {
    this.contract = Cloud.load(address, web3j, tm, gas);
  }

  /** The generated wrapper, for event decoding. */
  public Cloud contract() {
    return contract;
  }

  // ------------------------------------------------------------------ lifecycle

  /** Creates a workload with its prepayment; returns the workload id. */
  public long create(CreateWorkload c) {
    Cloud.CreateParams p =
        new Cloud.CreateParams(
            Structs.u(c.workerId()),
            Structs.u(c.kind().ordinal()),
            Structs.u(TeeTypes.mask(c.teeTypes())),
            c.allowDebug(),
            Structs.u(c.levelId()),
            Structs.u(c.regionId()),
            Structs.u(c.resources().cpu()),
            Structs.u(c.resources().memory()),
            Structs.u(c.resources().disk()),
            Structs.u(c.resources().gpu()),
            c.runPrice(),
            Structs.u(c.everyBlocks()));
    TransactionReceipt r = Tx.send(contract.create(p, c.spec(), c.deposit()));
    return Cloud.getWorkloadCreatedEvents(r).get(0).workloadId.longValueExact();
  }

  /** Owner: a new spec, version + 1; the workload waits for an attested start of that version. */
  public TransactionReceipt update(long workloadId, byte[] spec) {
    return Tx.send(contract.update(Structs.u(workloadId), spec));
  }

  public TransactionReceipt settings(long workloadId, String name) {
    return Tx.send(contract.settings(Structs.u(workloadId), name));
  }

  public TransactionReceipt recharge(long workloadId, BigInteger wei) {
    return Tx.send(contract.recharge(Structs.u(workloadId), wei));
  }

  /** Owner: stops the workload; unspent escrow becomes withdrawable by the owner. */
  public TransactionReceipt stop(long workloadId) {
    return Tx.send(contract.stop(Structs.u(workloadId)));
  }

  /** Anyone: stops a workload whose escrow cannot pay the next settle interval. */
  public TransactionReceipt stopExhausted(long workloadId) {
    return Tx.send(contract.stopExhausted(Structs.u(workloadId)));
  }

  /** Owner: schedules another run of a task. */
  public TransactionReceipt rerun(long workloadId) {
    return Tx.send(contract.rerun(Structs.u(workloadId)));
  }

  /** Assigned worker: records an attested start with a quorum of committee verdict signatures. */
  public TransactionReceipt start(
      long workloadId, long version, String instance, Verdict verdict, List<SignedBy> sigs) {
    return Tx.send(
        contract.start(
            Structs.u(workloadId),
            Structs.u(version),
            instance,
            Structs.cloudVerdict(verdict),
            Structs.sorted(sigs)));
  }

  /** Renews the verdict of the running instance before it expires. */
  public TransactionReceipt reattest(long workloadId, Verdict verdict, List<SignedBy> sigs) {
    return Tx.send(
        contract.reattest(
            Structs.u(workloadId), Structs.cloudVerdict(verdict), Structs.sorted(sigs)));
  }

  /** Pays the worker for the proof's block range; the proof is signed by the instance key. */
  public TransactionReceipt settle(SettleProof proof, EthSignature instanceSignature) {
    return Tx.send(contract.settle(Structs.settleProof(proof), instanceSignature.encode()));
  }

  /** Records a task run's result signed by the instance key, paying the run price. */
  public TransactionReceipt completeRun(RunResult result, EthSignature instanceSignature) {
    return Tx.send(contract.completeRun(Structs.runResult(result), instanceSignature.encode()));
  }

  // ------------------------------------------------------------------ payments

  /** Worker: withdraws what these workloads owe it. */
  public TransactionReceipt withdrawEarnings(List<Long> workloadIds) {
    return Tx.send(contract.withdrawEarnings(workloadIds.stream().map(Structs::u).toList()));
  }

  /** Owner: withdraws refunded escrow. */
  public TransactionReceipt withdrawRefund() {
    return Tx.send(contract.withdrawRefund());
  }

  public BigInteger refunds(String account) {
    return Tx.call(contract.refunds(account));
  }

  public BigInteger escrowOf(long workloadId) {
    return Tx.call(contract.escrowOf(Structs.u(workloadId)));
  }

  public BigInteger claimable(long workloadId) {
    return Tx.call(contract.claimable(Structs.u(workloadId)));
  }

  public BigInteger treasuryBalance() {
    return Tx.call(contract.treasuryBalance());
  }

  public long settleInterval() {
    return Tx.call(contract.settleInterval()).longValueExact();
  }

  public int feeBps() {
    return Tx.call(contract.feeBps()).intValueExact();
  }

  /** Admin: blocks between settlements. */
  public TransactionReceipt setSettleInterval(long blocks) {
    return Tx.send(contract.setSettleInterval(Structs.u(blocks)));
  }

  /** Admin: platform fee in basis points. */
  public TransactionReceipt setFeeBps(int bps) {
    return Tx.send(contract.setFeeBps(Structs.u(bps)));
  }

  /** Admin: pays out of the platform treasury. */
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

  /** Price per block (services) and per run (tasks) of a workload. */
  public Prices priceOf(long workloadId) {
    var t = Tx.call(contract.priceOf(Structs.u(workloadId)));
    return new Prices(t.component1(), t.component2());
  }

  /** A workload's prices in wei. */
  public record Prices(BigInteger perBlock, BigInteger perRun) {}

  // ------------------------------------------------------------------ secrets

  public TransactionReceipt putSecret(String name, byte[] ciphertext) {
    return Tx.send(contract.putSecret(name, ciphertext));
  }

  public TransactionReceipt rotateSecret(String name, byte[] ciphertext) {
    return Tx.send(contract.rotateSecret(name, ciphertext));
  }

  public TransactionReceipt deleteSecret(String name) {
    return Tx.send(contract.deleteSecret(name));
  }

  /** A secret's stored hash and version. */
  public SecretRecord secret(String owner, String name) {
    var t = Tx.call(contract.getSecret(owner, name));
    return new SecretRecord(
        owner, name, Hex.encode0x(t.component1()), t.component2().longValueExact(), t.component3());
  }

  /** The on-chain record of one owner's secret: ciphertext hash and version. */
  public record SecretRecord(
      String owner, String name, String hash, long version, boolean exists) {}

  // ------------------------------------------------------------------ views

  public long nextWorkloadId() {
    return Tx.call(contract.nextWorkloadId()).longValueExact();
  }

  /** One workload; throws {@code UnknownWorkload}. */
  public WorkloadInfo workload(long workloadId) {
    Cloud.WorkloadView v = Tx.call(contract.getWorkload(Structs.u(workloadId)));
    return new WorkloadInfo(
        v.id.longValueExact(),
        v.owner,
        v.workerId.longValueExact(),
        WorkloadKind.values()[v.kind.intValueExact()],
        WorkloadInfo.Status.values()[v.status.intValueExact()],
        TeeTypes.of(v.teeTypes.intValueExact()),
        v.allowDebug,
        v.levelId.intValueExact(),
        v.regionId.intValueExact(),
        new Resources(
            v.cpu.longValueExact(),
            v.mem.longValueExact(),
            v.disk.longValueExact(),
            v.gpu.intValueExact()),
        v.version.longValueExact(),
        Hex.encode0x(v.specHash),
        v.instance,
        v.lastSettledBlock.longValueExact(),
        v.verdictExpiresAt.longValueExact(),
        v.pricePerBlock,
        v.escrow,
        v.claimable,
        v.feeBps.intValueExact(),
        v.runPrice,
        v.everyBlocks.longValueExact(),
        v.nextRunAt.longValueExact(),
        v.nextRunId.longValueExact(),
        v.name);
  }
}
