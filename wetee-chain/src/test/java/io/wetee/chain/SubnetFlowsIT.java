package io.wetee.chain;

import static io.wetee.chain.Network.ETH;
import static io.wetee.chain.Network.gasCost;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wetee.attestation.TeeType;
import io.wetee.chain.contracts.Subnet;
import java.math.BigInteger;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/** Every Subnet flow through {@link ChainClient} against the real Hardhat node. */
@ExtendWith(HardhatExtension.class)
class SubnetFlowsIT {
  private static void revertsWith(Runnable r, String error) {
    assertThatThrownBy(r::run)
        .isInstanceOf(ContractRevertedException.class)
        .extracting(e -> ((ContractRevertedException) e).errorName())
        .isEqualTo(error);
  }

  @Test
  void workerIsRegisteredUpdatedAndActiveOnlyWithTheLevelMinimumStake(Deployment d) {
    try (Network n = new Network(d)) {
      ChainClient other = Network.client(d, 5);
      WorkerSpec spec =
          new WorkerSpec(
              "w2",
              "http://127.0.0.1:7001",
              0,
              1,
              Set.of(TeeType.TDX),
              new Resources(1000, 1024, 10, 0));
      long id = other.subnet().registerWorker(spec);
      assertThat(other.subnet().isWorkerActive(id)).isFalse();
      other.subnet().stakeWorker(id, ETH);
      assertThat(other.subnet().isWorkerActive(id)).isFalse(); // level 1 needs more
      BigInteger min = other.subnet().level(1).minStake();
      other.subnet().stakeWorker(id, min.subtract(ETH));
      assertThat(other.subnet().isWorkerActive(id)).isTrue();
      other
          .subnet()
          .updateWorker(
              id,
              new WorkerSpec(
                  "w2b",
                  "http://127.0.0.1:7002",
                  0,
                  1,
                  Set.of(TeeType.TDX, TeeType.SGX),
                  new Resources(2000, 1024, 10, 0)));
      WorkerInfo w = other.subnet().worker(id);
      assertThat(w.name()).isEqualTo("w2b");
      assertThat(w.teeTypes()).containsExactlyInAnyOrder(TeeType.TDX, TeeType.SGX);
      assertThat(w.capacity().cpu()).isEqualTo(2000);
      revertsWith(() -> n.owner.subnet().updateWorker(id, spec), "NotWorkerAccount");
      assertThat(other.subnet().workers()).extracting(WorkerInfo::id).contains(n.workerId, id);
      other.close();
    }
  }

  @Test
  void platformIdentityTellsWhichWorkerOwnsTheHardware(Deployment d) {
    try (Network n = new Network(d)) {
      byte[] pubkey = new byte[33];
      pubkey[0] = 2;
      pubkey[32] = 7;
      n.worker.subnet().registerPlatform(n.workerId, TeeType.SIMULATED, pubkey);
      assertThat(n.owner.subnet().platformWorker(TeeType.SIMULATED, pubkey)).contains(n.workerId);
      assertThat(n.owner.subnet().platformWorker(TeeType.TDX, pubkey)).isEmpty();
      revertsWith(
          () -> n.stranger.subnet().registerPlatform(n.workerId, TeeType.SIMULATED, pubkey),
          "NotWorkerAccount");
      n.worker.subnet().removePlatform(n.workerId, TeeType.SIMULATED, pubkey);
      assertThat(n.owner.subnet().platformWorker(TeeType.SIMULATED, pubkey))
          .isEqualTo(Optional.empty());
    }
  }

  @Test
  void upheldComplaintSlashesStakeToComplainantAndTreasuryAndRejectedOneKeepsTheDeposit(
      Deployment d) {
    try (Network n = new Network(d)) {
      BigInteger deposit = n.admin.subnet().complaintMinDeposit();
      long c1 =
          n.stranger.subnet().complain(n.workerId, "served stale data", new byte[32], deposit);
      BigInteger slash = ETH.divide(BigInteger.TEN);
      n.admin.subnet().resolveComplaint(c1, true, slash);
      int share = n.admin.subnet().complainantShareBps();
      BigInteger toComplainant =
          slash.multiply(BigInteger.valueOf(share)).divide(BigInteger.valueOf(10_000));
      String stranger = n.stranger.account().orElseThrow();
      assertThat(n.owner.subnet().balanceOf(stranger)).isEqualTo(toComplainant.add(deposit));
      assertThat(n.owner.subnet().worker(n.workerId).stake()).isEqualTo(ETH.subtract(slash));
      Subnet.Complaint upheld = n.owner.subnet().complaint(c1);
      assertThat(upheld.status.intValueExact()).isEqualTo(2);

      long c2 = n.stranger.subnet().complain(n.workerId, "no reason", new byte[32], deposit);
      revertsWith(
          () -> n.stranger.subnet().resolveComplaint(c2, false, BigInteger.ZERO),
          "OwnableUnauthorizedAccount");
      n.admin.subnet().resolveComplaint(c2, false, BigInteger.ZERO);
      assertThat(n.owner.subnet().complaint(c2).status.intValueExact()).isEqualTo(3);
      assertThat(n.owner.subnet().balanceOf(stranger))
          .isEqualTo(toComplainant.add(deposit)); // second deposit kept
      revertsWith(
          () -> n.stranger.subnet().complain(n.workerId, "x", new byte[32], BigInteger.ONE),
          "DepositTooLow");
    }
  }

  @Test
  void stoppedWorkerUnstakesOnlyAfterTheCooldownWithNoWorkloads(Deployment d, HardhatNode node) {
    try (Network n = new Network(d)) {
      long id = n.createService(ETH);
      n.worker.subnet().stopWorker(n.workerId);
      assertThat(n.owner.subnet().isWorkerActive(n.workerId)).isFalse();
      revertsWith(() -> n.owner.cloud().create(n.service(ETH, "{}")), "WorkerNotActive");
      long cooldown = n.owner.subnet().unstakeCooldown();
      node.rpc("hardhat_mine", "0x" + Long.toHexString(cooldown + 1));
      revertsWith(() -> n.worker.subnet().unstakeWorker(n.workerId), "WorkerBusy");
      n.owner.cloud().stop(id);
      n.worker.subnet().unstakeWorker(n.workerId);
      String account = n.worker.account().orElseThrow();
      assertThat(n.owner.subnet().balanceOf(account)).isEqualTo(ETH);
      BigInteger before = n.owner.balance(account);
      TransactionReceipt r = n.worker.subnet().withdraw();
      assertThat(n.owner.balance(account)).isEqualTo(before.add(ETH).subtract(gasCost(r)));
    }
  }

  @Test
  void secretNodeRegistersStakesLeavesAndUnstakes(Deployment d, HardhatNode node) {
    try (Network n = new Network(d)) {
      byte[] key =
          io.wetee.crypto.PrivateKey.generate(new java.security.SecureRandom())
              .publicKey()
              .encode();
      ChainClient op = Network.client(d, 6);
      long id = op.subnet().registerSecretNode("http://127.0.0.1:7100", key);
      op.subnet().stakeSecretNode(id, ETH);
      SecretNodeInfo info = op.subnet().secretNode(id);
      assertThat(info.status()).isEqualTo(SecretNodeInfo.Status.ACTIVE);
      assertThat(info.encryptionKey()).isEqualTo(key);
      assertThat(info.stake()).isEqualTo(ETH);
      revertsWith(() -> op.subnet().unstakeSecretNode(id), "SecretNodeNotLeft");
      op.subnet().leaveSecretNode(id);
      long cooldown = op.subnet().unstakeCooldown();
      node.rpc("hardhat_mine", "0x" + Long.toHexString(cooldown + 1));
      op.subnet().unstakeSecretNode(id);
      assertThat(op.subnet().balanceOf(op.account().orElseThrow())).isEqualTo(ETH);
      assertThat(op.subnet().secretNodes())
          .extracting(SecretNodeInfo::status)
          .containsExactly(SecretNodeInfo.Status.LEFT);
      op.close();
    }
  }

  @Test
  void adminSettersAreOwnerOnlyAndTheRoleCanBeHandedOver(Deployment d) {
    try (Network n = new Network(d)) {
      n.admin.subnet().setRegion(7, "eu-west");
      assertThat(n.owner.subnet().regions()).containsEntry(7, "eu-west");
      LevelInfo level =
          new LevelInfo(
              9,
              BigInteger.ONE,
              BigInteger.TWO,
              BigInteger.TEN,
              BigInteger.ZERO,
              ETH,
              new Resources(1000, 1024, 10, 0));
      n.admin.subnet().setLevel(level);
      assertThat(n.owner.subnet().level(9)).isEqualTo(level);
      n.admin.subnet().setUnstakeCooldown(3);
      assertThat(n.owner.subnet().unstakeCooldown()).isEqualTo(3);
      n.admin.cloud().setFeeBps(250);
      n.admin.cloud().setSettleInterval(20);
      assertThat(n.owner.cloud().feeBps()).isEqualTo(250);
      assertThat(n.owner.cloud().settleInterval()).isEqualTo(20);
      revertsWith(() -> n.stranger.subnet().setLevel(level), "OwnableUnauthorizedAccount");
      revertsWith(() -> n.stranger.cloud().setFeeBps(1), "OwnableUnauthorizedAccount");

      String next = n.stranger.account().orElseThrow();
      n.admin.subnet().transferAdmin(next);
      assertThat(n.owner.subnet().admin()).isEqualToIgnoringCase(d.account(0).address());
      n.stranger.subnet().acceptAdmin();
      assertThat(n.owner.subnet().admin()).isEqualToIgnoringCase(next);
      n.stranger.subnet().setRegion(8, "handed-over");
      revertsWith(() -> n.admin.subnet().setRegion(9, "old admin"), "OwnableUnauthorizedAccount");
    }
  }
}
