package io.wetee.chain;

import static io.wetee.chain.Network.ETH;
import static io.wetee.chain.Network.gasCost;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wetee.attestation.TeeType;
import io.wetee.crypto.Bytes32;
import io.wetee.crypto.PrivateKey;
import io.wetee.crypto.RunResult;
import io.wetee.crypto.SettleProof;
import io.wetee.crypto.Verdict;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/** Every Cloud flow through {@link ChainClient} against the real Hardhat node. */
@ExtendWith(HardhatExtension.class)
class CloudFlowsIT {
  private static void mine(HardhatNode node, int blocks) {
    node.rpc("hardhat_mine", "0x" + Integer.toHexString(blocks));
  }

  private static void revertsWith(Runnable r, String error) {
    assertThatThrownBy(r::run)
        .isInstanceOf(ContractRevertedException.class)
        .extracting(e -> ((ContractRevertedException) e).errorName())
        .isEqualTo(error);
  }

  @Test
  void serviceIsStartedSettledAndStoppedWithExactPayments(Deployment d, HardhatNode node) {
    try (Network n = new Network(d)) {
      BigInteger price = n.owner.subnet().level(0).pricePerBlock(new Resources(500, 256, 1, 0));
      long id = n.createService(ETH);
      WorkloadInfo pending = n.owner.cloud().workload(id);
      assertThat(pending.status()).isEqualTo(WorkloadInfo.Status.PENDING);
      assertThat(pending.pricePerBlock()).isEqualTo(price);
      assertThat(pending.escrow()).isEqualTo(ETH);
      assertThat(n.owner.subnet().worker(n.workerId).used())
          .isEqualTo(new Resources(500, 256, 1, 0));

      long version = pending.version();
      PrivateKey instance = n.start(id, version);
      WorkloadInfo running = n.owner.cloud().workload(id);
      assertThat(running.status()).isEqualTo(WorkloadInfo.Status.RUNNING);
      assertThat(running.instance()).isEqualToIgnoringCase(instance.address().toString());

      mine(node, 5);
      long from = running.lastSettledBlock();
      long to = n.owner.blockNumber();
      SettleProof p = n.proof(id, version, from, to);
      n.worker.cloud().settle(p, n.signProof(p, instance));
      BigInteger earned = price.multiply(BigInteger.valueOf(to - from));
      assertThat(n.owner.cloud().claimable(id)).isEqualTo(earned);
      assertThat(n.owner.cloud().escrowOf(id)).isEqualTo(ETH.subtract(earned));
      revertsWith(() -> n.worker.cloud().settle(p, n.signProof(p, instance)), "WrongFromBlock");

      BigInteger fee =
          earned
              .multiply(BigInteger.valueOf(n.owner.cloud().feeBps()))
              .divide(BigInteger.valueOf(10_000));
      String workerAccount = n.worker.account().orElseThrow();
      BigInteger before = n.owner.balance(workerAccount);
      BigInteger treasuryBefore = n.owner.cloud().treasuryBalance();
      TransactionReceipt w = n.worker.cloud().withdrawEarnings(List.of(id));
      assertThat(n.owner.balance(workerAccount))
          .isEqualTo(before.add(earned).subtract(fee).subtract(gasCost(w)));
      assertThat(n.owner.cloud().treasuryBalance()).isEqualTo(treasuryBefore.add(fee));

      String ownerAccount = n.owner.account().orElseThrow();
      BigInteger ownerBefore = n.owner.balance(ownerAccount);
      BigInteger refund = n.owner.cloud().escrowOf(id);
      TransactionReceipt stop = n.owner.cloud().stop(id);
      assertThat(n.owner.balance(ownerAccount))
          .isEqualTo(ownerBefore.add(refund).subtract(gasCost(stop)));
      assertThat(n.owner.cloud().workload(id).status()).isEqualTo(WorkloadInfo.Status.STOPPED);
      assertThat(n.owner.subnet().worker(n.workerId).used()).isEqualTo(new Resources(0, 0, 0, 0));
      revertsWith(() -> n.owner.cloud().stop(id), "WorkloadIsStopped");
    }
  }

  @Test
  void startNeedsAQuorumOfMembersSigningThisInstanceByTheAssignedWorker(Deployment d) {
    try (Network n = new Network(d)) {
      long id = n.createService(ETH);
      long version = n.owner.cloud().workload(id).version();
      PrivateKey instance = PrivateKey.generate(new SecureRandom());
      Verdict v = n.verdict(id, version, instance);
      String addr = instance.address().toString();
      revertsWith(
          () -> n.worker.cloud().start(id, version, addr, v, n.sign(v, 2)), "NotEnoughSignatures");
      revertsWith(
          () -> n.stranger.cloud().start(id, version, addr, v, n.sign(v, 3)), "NotAssignedWorker");
      String other = PrivateKey.generate(new SecureRandom()).address().toString();
      revertsWith(
          () -> n.worker.cloud().start(id, version, other, v, n.sign(v, 3)), "VerdictMismatch");
      revertsWith(
          () -> n.worker.cloud().start(id, version + 1, addr, v, n.sign(v, 3)), "WrongVersion");
      Verdict tdx =
          new Verdict(
              id,
              version,
              instance.address(),
              TeeType.TDX.code(),
              v.measurementHash(),
              0,
              v.issuedAt(),
              v.expiresAt());
      revertsWith(
          () -> n.worker.cloud().start(id, version, addr, tdx, n.sign(tdx, 3)),
          "TeeTypeNotAllowed");
      n.worker.cloud().start(id, version, addr, v, n.sign(v, 3));
      assertThat(n.owner.cloud().workload(id).status()).isEqualTo(WorkloadInfo.Status.RUNNING);
    }
  }

  @Test
  void reattestRenewsTheVerdictAndSettleIsRefusedOnceItExpired(Deployment d, HardhatNode node) {
    try (Network n = new Network(d)) {
      long id = n.createService(ETH);
      long version = n.owner.cloud().workload(id).version();
      PrivateKey instance = n.start(id, version);
      node.rpc("evm_increaseTime", 1800);
      mine(node, 1); // the new time applies from the next block; the verdict is issued "now"
      Verdict renewed = n.verdict(id, version, instance);
      n.worker.cloud().reattest(id, renewed, n.sign(renewed, 3));
      assertThat(n.owner.cloud().workload(id).verdictExpiresAt()).isEqualTo(renewed.expiresAt());
      node.rpc("evm_increaseTime", 2000); // past the first verdict, within the renewed one
      mine(node, 2);
      long from = n.owner.cloud().workload(id).lastSettledBlock();
      SettleProof ok = n.proof(id, version, from, n.owner.blockNumber());
      n.worker.cloud().settle(ok, n.signProof(ok, instance));
      SettleProof forged = n.proof(id, version, ok.toBlock(), n.owner.blockNumber());
      mine(node, 1);
      SettleProof next = n.proof(id, version, ok.toBlock(), n.owner.blockNumber());
      revertsWith(
          () ->
              n.worker
                  .cloud()
                  .settle(next, n.signProof(next, PrivateKey.generate(new SecureRandom()))),
          "InvalidInstanceSignature");
      node.rpc("evm_increaseTime", 4000);
      mine(node, 1);
      revertsWith(
          () -> n.worker.cloud().settle(next, n.signProof(next, instance)), "VerdictExpired");
      assertThat(forged.fromBlock()).isEqualTo(next.fromBlock());
    }
  }

  @Test
  void updateWaitsForANewAttestedStartAndRefusesProofsOfTheOldVersion(
      Deployment d, HardhatNode node) {
    try (Network n = new Network(d)) {
      long id = n.createService(ETH);
      long v1 = n.owner.cloud().workload(id).version();
      PrivateKey old = n.start(id, v1);
      mine(node, 3);
      n.owner.cloud().update(id, "{\"name\":\"svc\",\"v\":2}".getBytes(StandardCharsets.UTF_8));
      WorkloadInfo updated = n.owner.cloud().workload(id);
      assertThat(updated.version()).isEqualTo(v1 + 1);
      assertThat(updated.status()).isEqualTo(WorkloadInfo.Status.PENDING);
      assertThat(updated.specHash())
          .isNotEqualTo(n.owner.cloud().workload(id).specHash().replace('0', '1'));
      SettleProof stale = n.proof(id, v1, 1, n.owner.blockNumber());
      revertsWith(() -> n.worker.cloud().settle(stale, n.signProof(stale, old)), "NotRunning");
      PrivateKey fresh = n.start(id, v1 + 1);
      mine(node, 2);
      long from = n.owner.cloud().workload(id).lastSettledBlock();
      SettleProof p = n.proof(id, v1 + 1, from, n.owner.blockNumber());
      n.worker.cloud().settle(p, n.signProof(p, fresh));
      assertThat(n.owner.cloud().workload(id).lastSettledBlock()).isEqualTo(p.toBlock());
    }
  }

  @Test
  void exhaustedServiceIsStoppedByAnyoneAndTheRestRefundedToTheWei(Deployment d, HardhatNode node) {
    try (Network n = new Network(d)) {
      BigInteger price = n.owner.subnet().level(0).pricePerBlock(new Resources(500, 256, 1, 0));
      long interval = n.owner.cloud().settleInterval();
      BigInteger deposit = price.multiply(BigInteger.valueOf(interval * 2));
      long id = n.owner.cloud().create(n.service(deposit, "{\"name\":\"small\"}"));
      n.owner.cloud().recharge(id, price); // a little more, to check recharge adds up
      assertThat(n.owner.cloud().escrowOf(id)).isEqualTo(deposit.add(price));
      n.start(id, n.owner.cloud().workload(id).version());
      revertsWith(() -> n.stranger.cloud().stopExhausted(id), "NotExhausted");
      mine(node, (int) interval + 2);
      n.stranger.cloud().stopExhausted(id);
      WorkloadInfo stopped = n.owner.cloud().workload(id);
      assertThat(stopped.status()).isEqualTo(WorkloadInfo.Status.STOPPED);
      String owner = n.owner.account().orElseThrow();
      BigInteger refund = n.owner.cloud().refunds(owner);
      assertThat(refund).isEqualTo(deposit.add(price)); // nothing was settled: all of it comes back
      BigInteger before = n.owner.balance(owner);
      TransactionReceipt r = n.owner.cloud().withdrawRefund();
      assertThat(n.owner.balance(owner)).isEqualTo(before.add(refund).subtract(gasCost(r)));
      revertsWith(() -> n.owner.cloud().withdrawRefund(), "NothingToWithdraw");
    }
  }

  @Test
  void taskRunsArePaidPerRunAndRerunByTheOwner(Deployment d) {
    try (Network n = new Network(d)) {
      BigInteger runPrice = ETH.divide(BigInteger.valueOf(1000));
      CreateWorkload task =
          new CreateWorkload(
              n.workerId,
              WorkloadKind.TASK,
              Set.of(TeeType.SIMULATED),
              false,
              0,
              0,
              new Resources(500, 256, 1, 0),
              runPrice,
              0,
              "{\"name\":\"job\"}".getBytes(StandardCharsets.UTF_8),
              runPrice.multiply(BigInteger.TEN));
      long id = n.owner.cloud().create(task);
      long version = n.owner.cloud().workload(id).version();
      PrivateKey instance = n.start(id, version);
      RunResult first = new RunResult(id, version, 0, 0, Bytes32.ZERO, Bytes32.ZERO);
      n.stranger.cloud().completeRun(first, n.signRun(first, instance));
      assertThat(n.owner.cloud().claimable(id)).isEqualTo(runPrice);
      RunResult second = new RunResult(id, version, 1, 3, Bytes32.ZERO, Bytes32.ZERO);
      revertsWith(
          () -> n.stranger.cloud().completeRun(second, n.signRun(second, instance)), "RunNotDue");
      revertsWith(() -> n.stranger.cloud().rerun(id), "NotWorkloadOwner");
      n.owner.cloud().rerun(id);
      revertsWith(
          () -> n.stranger.cloud().completeRun(first, n.signRun(first, instance)), "WrongRunId");
      n.stranger.cloud().completeRun(second, n.signRun(second, instance));
      assertThat(n.owner.cloud().claimable(id)).isEqualTo(runPrice.multiply(BigInteger.TWO));
      assertThat(n.owner.cloud().escrowOf(id)).isEqualTo(runPrice.multiply(BigInteger.valueOf(8)));
    }
  }

  @Test
  void secretsArePutRotatedAndDeletedPerOwnerWithVersions(Deployment d) {
    try (Network n = new Network(d)) {
      String owner = n.owner.account().orElseThrow();
      n.owner.cloud().putSecret("api-key", new byte[] {1, 2, 3});
      assertThat(n.owner.cloud().secret(owner, "api-key").version()).isEqualTo(1);
      revertsWith(() -> n.owner.cloud().putSecret("api-key", new byte[] {4}), "SecretExists");
      n.owner.cloud().rotateSecret("api-key", new byte[] {4, 5});
      CloudClient.SecretRecord rotated = n.owner.cloud().secret(owner, "api-key");
      assertThat(rotated.version()).isEqualTo(2);
      assertThat(rotated.hash())
          .isEqualTo(
              io.wetee.common.Hex.encode0x(io.wetee.crypto.Keccak.keccak256(new byte[] {4, 5})));
      assertThat(n.owner.cloud().secret(n.stranger.account().orElseThrow(), "api-key").exists())
          .isFalse();
      n.owner.cloud().deleteSecret("api-key");
      assertThat(n.owner.cloud().secret(owner, "api-key").exists()).isFalse();
      revertsWith(() -> n.owner.cloud().deleteSecret("api-key"), "UnknownSecret");
    }
  }
}
