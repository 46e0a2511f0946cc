package io.wetee.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.wetee.attestation.EvidenceType;
import io.wetee.attestation.EvidenceVerifier;
import io.wetee.attestation.Policy;
import io.wetee.attestation.VerificationResult;
import io.wetee.attestation.Verified;
import io.wetee.chain.contracts.Cloud;
import io.wetee.common.Hex;
import io.wetee.crypto.Address;
import io.wetee.crypto.Bytes32;
import io.wetee.crypto.Ethereum;
import io.wetee.crypto.Keccak;
import io.wetee.crypto.Point;
import io.wetee.crypto.ReportData;
import io.wetee.crypto.SettleProof;
import io.wetee.crypto.Verdict;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** What anyone can check about the agent's attestation document and proofs. */
final class AgentChecks {
  private AgentChecks() {}

  /**
   * The evidence verifies (SIMULATED allowed), binds this instance, workload and version through
   * report_data, measures the spec, and q committee members signed the verdict (checked on chain).
   */
  static void attestation(
      DevNetwork net, AgentProtocol.Attestation doc, Agent agent, long id, String spec) {
    assertThat(doc.instance()).isEqualTo(agent.instance());
    assertThat(doc.specHash())
        .isEqualTo(Keccak.hash(spec.getBytes(StandardCharsets.UTF_8)).toHex());
    assertThat(doc.simulated()).isTrue();
    VerificationResult r =
        EvidenceVerifier.builder()
            .build()
            .verify(
                Hex.decode(doc.evidence().quote()),
                EvidenceType.AUTO,
                Policy.defaults().withAllowSimulated(true));
    assertThat(r).isInstanceOf(Verified.class);
    Verified v = (Verified) r;
    ReportData expected =
        new ReportData(
            net.chainId(),
            net.cloud(),
            id,
            1,
            Address.fromHex(agent.instance()),
            Bytes32.fromHex(doc.nonce()));
    assertThat(v.reportData()).isEqualTo(expected.toBytes());
    assertThat(Hex.encode0x(v.reportData())).isEqualTo(doc.reportData());
    assertThat(Hex.encode0x(v.measurement("measurement").orElseThrow())).isEqualTo(doc.specHash());
    assertThat(v.platformId()).isEqualTo(net.platform.publicKey());
    assertThat(Address.fromPublicKey(Point.decode(Hex.decode(doc.instanceKey()))))
        .isEqualTo(Address.fromHex(agent.instance()));
    Verdict verdict = doc.verdict().toVerdict();
    assertThat(verdict.instance()).isEqualTo(Address.fromHex(agent.instance()));
    assertThat(verdict.workloadId()).isEqualTo(id);
    assertThat(
            net.admin
                .committee()
                .verify(
                    verdict,
                    doc.signatures().stream().map(AgentProtocol.Signature::toSignedBy).toList()))
        .isTrue();
  }

  /** The proof's digest is the Cloud contract's, and the instance key signed it. */
  static void proof(
      DevNetwork net, AgentProtocol.Proof proof, Agent agent, long id, long from, long to)
      throws Exception {
    SettleProof p = proof.toSettleProof();
    assertThat(p.workloadId()).isEqualTo(id);
    assertThat(p.fromBlock()).isEqualTo(from);
    assertThat(p.toBlock()).isEqualTo(to);
    Bytes32 digest = p.digest(net.chainId(), net.cloud());
    assertThat(proof.digest()).isEqualTo(digest.toHex());
    byte[] onChain =
        net.admin
            .cloud()
            .contract()
            .settleProofDigest(
                new Cloud.SettleProof(
                    BigInteger.valueOf(id),
                    BigInteger.ONE,
                    BigInteger.valueOf(from),
                    BigInteger.valueOf(to),
                    p.logsRoot().toBytes(),
                    p.metricsRoot().toBytes()))
            .send();
    assertThat(Bytes32.of(onChain)).isEqualTo(digest);
    assertThat(Ethereum.recover(digest, proof.ethSignature()))
        .isEqualTo(Address.fromHex(agent.instance()));
    assertThat(proof.logs().from()).isZero();
    assertThat(proof.logs().to()).isPositive();
    assertThat(p.logsRoot()).isNotEqualTo(Merkle.root(List.of()));
  }
}
