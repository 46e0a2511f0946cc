package io.wetee.chain;

import io.wetee.chain.contracts.Cloud;
import io.wetee.chain.contracts.Committee;
import io.wetee.crypto.RunResult;
import io.wetee.crypto.SettleProof;
import io.wetee.crypto.Verdict;
import java.math.BigInteger;
import java.util.List;

/** Converts the crypto module's EIP-712 records into the generated wrappers' ABI structs. */
final class Structs {
  private Structs() {}

  static Committee.Verdict committeeVerdict(Verdict v) {
    return new Committee.Verdict(
        u(v.workloadId()),
        u(v.version()),
        v.instance().toString(),
        u(v.teeType()),
        v.measurementHash().toBytes(),
        u(v.tcbStatus()),
        u(v.issuedAt()),
        u(v.expiresAt()));
  }

  static Cloud.Verdict cloudVerdict(Verdict v) {
    return new Cloud.Verdict(
        u(v.workloadId()),
        u(v.version()),
        v.instance().toString(),
        u(v.teeType()),
        v.measurementHash().toBytes(),
        u(v.tcbStatus()),
        u(v.issuedAt()),
        u(v.expiresAt()));
  }

  static Cloud.SettleProof settleProof(SettleProof p) {
    return new Cloud.SettleProof(
        u(p.workloadId()),
        u(p.version()),
        u(p.fromBlock()),
        u(p.toBlock()),
        p.logsRoot().toBytes(),
        p.metricsRoot().toBytes());
  }

  static Cloud.RunResult runResult(RunResult r) {
    return new Cloud.RunResult(
        u(r.workloadId()),
        u(r.version()),
        u(r.runId()),
        BigInteger.valueOf(r.exitCode()),
        r.resultHash().toBytes(),
        r.logsHash().toBytes());
  }

  /** Signatures in ascending signer order, as Committee.verify requires. */
  static List<byte[]> sorted(List<CommitteeClient.SignedBy> signatures) {
    return signatures.stream()
        .sorted(CommitteeClient.SignedBy.BY_SIGNER)
        .map(s -> s.signature().encode())
        .toList();
  }

  /** An unsigned 64-bit value (Java long read as unsigned). */
  static BigInteger u(long v) {
    return new BigInteger(Long.toUnsignedString(v));
  }
}
