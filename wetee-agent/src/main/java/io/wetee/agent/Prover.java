package io.wetee.agent;

import io.wetee.crypto.Address;
import io.wetee.crypto.Bytes32;
import io.wetee.crypto.EthSignature;
import io.wetee.crypto.PrivateKey;
import io.wetee.crypto.RunResult;
import io.wetee.crypto.SettleProof;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.crypto.digests.KeccakDigest;

/**
 * Signs what the instance did with its key: settle proofs (EIP-712 {@code SettleProof}, DESIGN
 * §7.3) and task run results (EIP-712 {@code RunResult}, §7.5), both in domain {@code WeTEE Cloud}
 * at the Cloud contract, exactly the digest {@code Cloud.settle} / {@code completeRun} recover.
 *
 * <p>Design notes: a proof's {@code logsRoot} and {@code metricsRoot} are {@link Merkle} roots over
 * the log chunks and metric samples of its period. The agent does not see blocks, so a period is
 * delimited by proofs: it starts where the proof that ended at {@code fromBlock} ended (the chain
 * only accepts {@code fromBlock} = last settled block), or where an earlier proof with the same
 * {@code fromBlock} started (its transaction did not land), or at the first chunk; it ends at the
 * newest chunk, sealed now. The same {@code (fromBlock, toBlock)} asked again gets the same proof.
 * A run result is made once, for the configured run id only, so one execution cannot be paid as
 * several runs. Thread-safe (one monitor).
 */
final class Prover {
  private static final int HISTORY = 64;

  private final AgentConfig config;
  private final PrivateKey key;
  private final LogStore logs;
  private final MetricsStore metrics;
  private final List<AgentProtocol.Proof> issued = new ArrayList<>();
  private Optional<AgentProtocol.RunResultView> runResult = Optional.empty();

  Prover(AgentConfig config, PrivateKey key, LogStore logs, MetricsStore metrics) {
    this.config = config;
    this.key = key;
    this.logs = logs;
    this.metrics = metrics;
  }

  /** A signed proof for {@code [fromBlock, toBlock]}; the caller checked {@code to > from}. */
  synchronized AgentProtocol.Proof prove(long fromBlock, long toBlock) {
    for (AgentProtocol.Proof i : issued) {
      if (i.fromBlock() == fromBlock && i.toBlock() == toBlock) {
        return i;
      }
    }
    AgentProtocol.Range logStart = new AgentProtocol.Range(0, 0);
    AgentProtocol.Range metricStart = new AgentProtocol.Range(0, 0);
    Optional<AgentProtocol.Proof> previous = latest(i -> i.toBlock() == fromBlock);
    if (previous.isPresent()) {
      logStart = new AgentProtocol.Range(previous.get().logs().to(), 0);
      metricStart = new AgentProtocol.Range(previous.get().metrics().to(), 0);
    } else {
      Optional<AgentProtocol.Proof> retried = latest(i -> i.fromBlock() == fromBlock);
      if (retried.isPresent()) {
        logStart = new AgentProtocol.Range(retried.get().logs().from(), 0);
        metricStart = new AgentProtocol.Range(retried.get().metrics().from(), 0);
      }
    }
    long logEnd = logs.seal();
    long metricEnd = metrics.next();
    AgentProtocol.Range lr = new AgentProtocol.Range(logStart.from(), logEnd);
    AgentProtocol.Range mr = new AgentProtocol.Range(metricStart.from(), metricEnd);
    SettleProof p =
        new SettleProof(
            config.workloadId(),
            config.version(),
            fromBlock,
            toBlock,
            Merkle.root(logs.hashes(lr.from(), lr.to())),
            Merkle.root(metrics.hashes(mr.from(), mr.to())));
    Bytes32 digest = p.digest(chainId(), cloud());
    EthSignature sig = p.sign(key, chainId(), cloud());
    AgentProtocol.Proof proof =
        new AgentProtocol.Proof(
            p.workloadId(),
            p.version(),
            fromBlock,
            toBlock,
            p.logsRoot().toHex(),
            p.metricsRoot().toHex(),
            digest.toHex(),
            key.address().toString(),
            sig.toHex(),
            lr,
            mr);
    issued.add(proof);
    if (issued.size() > HISTORY) {
      issued.remove(0);
    }
    return proof;
  }

  private Optional<AgentProtocol.Proof> latest(
      java.util.function.Predicate<AgentProtocol.Proof> p) {
    for (int i = issued.size() - 1; i >= 0; i--) {
      if (p.test(issued.get(i))) {
        return Optional.of(issued.get(i));
      }
    }
    return Optional.empty();
  }

  /**
   * The signed result of the finished run: {@code resultHash} = keccak256 of the result file (zero
   * when it does not exist) or, without one, of all stdout; {@code logsHash} = the Merkle root over
   * every log chunk. Computed once.
   */
  synchronized AgentProtocol.RunResultView runResult(long runId, Supervisor.Exit exit)
      throws IOException {
    if (runResult.isPresent()) {
      return runResult.get();
    }
    Optional<Path> file = Optional.ofNullable(config.task()).map(AgentConfig.Task::resultFile);
    Bytes32 resultHash = file.isPresent() ? fileHash(file.get()) : logs.stdoutHash();
    long end = logs.seal();
    Bytes32 logsHash = Merkle.root(logs.hashes(0, end));
    RunResult r =
        new RunResult(
            config.workloadId(), config.version(), runId, exit.exitCode(), resultHash, logsHash);
    EthSignature sig = r.sign(key, chainId(), cloud());
    runResult =
        Optional.of(
            new AgentProtocol.RunResultView(
                r.workloadId(),
                r.version(),
                runId,
                r.exitCode(),
                resultHash.toHex(),
                logsHash.toHex(),
                exit.timedOut(),
                r.digest(chainId(), cloud()).toHex(),
                key.address().toString(),
                sig.toHex()));
    return runResult.get();
  }

  private static Bytes32 fileHash(Path file) throws IOException {
    KeccakDigest d = new KeccakDigest(256);
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) >= 0) {
        d.update(buf, 0, n);
      }
    } catch (NoSuchFileException e) {
      return Bytes32.ZERO;
    }
    byte[] out = new byte[32];
    d.doFinal(out, 0);
    return Bytes32.of(out);
  }

  private BigInteger chainId() {
    return config.network().chainId();
  }

  private Address cloud() {
    return Address.fromHex(config.network().cloud());
  }
}
