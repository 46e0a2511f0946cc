package io.wetee.worker.node;

import io.wetee.agent.AgentClient;
import io.wetee.agent.AgentProtocol;
import io.wetee.chain.ContractRevertedException;
import io.wetee.chain.WorkloadInfo;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settlement and verdict renewal of a running service.
 *
 * <p>Design notes: the range always starts at the chain's {@code lastSettledBlock}, read in the
 * same reconcile, never at a block the worker remembers: a worker restarted after a settlement
 * landed (or did not) asks for exactly the unpaid range, and the contract refuses any other start
 * ({@code WrongFromBlock}), so no range is paid twice. After a settlement that leaves less escrow
 * than one more interval costs, the worker stops the workload as exhausted: that settlement was the
 * final one, and the refund goes to the owner. Verdicts are renewed on chain {@code
 * reattestBeforeSeconds} before they expire, with the verdict the agent renewed by itself (or one
 * it renews on request).
 */
final class Settler {
  private static final Logger LOG = LoggerFactory.getLogger(Settler.class);
  private final WorkerContext ctx;
  private final Reconciler rec;

  Settler(WorkerContext ctx, Reconciler rec) {
    this.ctx = ctx;
    this.rec = rec;
  }

  void settle(WorkloadInfo w, Placement cur, AgentClient agent, AgentProtocol.Attestation att) {
    reattest(w, agent, att);
    long interval = ctx.settleInterval();
    long head = ctx.chain().blockNumber();
    long from = w.lastSettledBlock();
    if (head - from < interval) {
      rec.at(from + interval, w.id());
      return;
    }
    Optional<AgentProtocol.Proof> proof = AgentWait.ok(agent.proof(from, head));
    if (proof.isEmpty()) {
      rec.at(head + 2, w.id());
      return;
    }
    try {
      ctx.chain().cloud().settle(proof.get().toSettleProof(), proof.get().ethSignature());
      LOG.info("workload {}: settled blocks {}..{}", w.id(), from, head);
    } catch (ContractRevertedException e) {
      LOG.info("workload {}: settle {}..{} refused: {}", w.id(), from, head, e.error());
      rec.at(head + 1, w.id());
      return;
    }
    BigInteger paid = w.pricePerBlock().multiply(BigInteger.valueOf(head - from));
    BigInteger left = w.escrow().subtract(paid);
    if (left.compareTo(w.pricePerBlock().multiply(BigInteger.valueOf(interval))) < 0) {
      try {
        ctx.chain().cloud().stopExhausted(w.id());
        LOG.info("workload {}: escrow exhausted after the final settlement; stopped", w.id());
      } catch (ContractRevertedException e) {
        LOG.info("workload {}: stopExhausted refused: {}", w.id(), e.error());
      }
      rec.touch(w.id());
      return;
    }
    rec.at(head + interval, w.id());
  }

  private void reattest(WorkloadInfo w, AgentClient agent, AgentProtocol.Attestation att) {
    long now = Instant.now().getEpochSecond();
    long renewAt = w.verdictExpiresAt() - ctx.config().agent().reattestBeforeSeconds();
    if (now < renewAt) {
      return;
    }
    AgentProtocol.Attestation fresh = AgentWait.ok(agent.attestation()).orElse(att);
    io.wetee.crypto.Verdict v = fresh.verdict().toVerdict();
    java.util.List<io.wetee.chain.CommitteeClient.SignedBy> sigs =
        fresh.signatures().stream().map(AgentProtocol.Signature::toSignedBy).toList();
    if (v.expiresAt() <= w.verdictExpiresAt()) {
      Optional<AgentProtocol.Reattestation> re = AgentWait.ok(agent.reattest());
      if (re.isEmpty()) {
        return;
      }
      v = re.get().verdict().toVerdict();
      sigs = re.get().signedBy();
    }
    try {
      ctx.chain().cloud().reattest(w.id(), v, sigs);
      LOG.info("workload {}: verdicts renewed until {}", w.id(), v.expiresAt());
    } catch (ContractRevertedException e) {
      LOG.info("workload {}: reattest refused: {}", w.id(), e.error());
    }
  }
}
