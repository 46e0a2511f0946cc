package io.wetee.agent;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.wetee.chain.CommitteeClient.SignedBy;
import io.wetee.crypto.Bytes32;
import io.wetee.crypto.EthSignature;
import io.wetee.crypto.RunResult;
import io.wetee.crypto.SettleProof;
import io.wetee.secretnode.ReleaseResponse.VerdictView;
import java.util.List;

/**
 * The agent's HTTP contract: route paths and the JSON bodies, as records the worker (or anyone) can
 * read with the project's strict mapper. Byte values are {@code 0x} hex, addresses EIP-55. Errors
 * are {@link Problem} with a stable {@code reason}. See the module README for the routes.
 */
public final class AgentProtocol {
  /** Public (through the worker's proxy): evidence, verdicts, instance, spec hash. */
  public static final String ATTESTATION = "/.well-known/wetee/attestation";

  public static final String STATUS = "/v1/status";
  public static final String PROOF = "/v1/proof";
  public static final String RUN_RESULT = "/v1/run-result";
  public static final String REATTEST = "/v1/reattest";
  public static final String LOGS = "/v1/logs";
  public static final String METRICS = "/v1/metrics";

  /** The attestation document's format tag. */
  public static final String ATTESTATION_FORMAT = "wetee-attestation-v1";

  private AgentProtocol() {}

  /** An error: stable kebab-case {@code reason}, {@code detail} for people (never a secret). */
  public record Problem(String reason, String detail) {}

  /** Body of {@code POST /v1/quote} ({@link QuotingService}). */
  public record QuoteRequest(String reportData) {}

  /** Answer of {@code POST /v1/quote}: the evidence type, bytes, auxiliary data, provider. */
  public record QuoteResponse(String type, String evidence, String auxiliary, String provider) {}

  /** A verdict signature and its signer. */
  public record Signature(String signer, String signature) {
    /** As {@code CloudClient.start} / {@code reattest} take it. */
    public SignedBy toSignedBy() {
      return new SignedBy(signer, EthSignature.fromHex(signature));
    }
  }

  /**
   * The evidence as collected.
   *
   * @param type SIMULATED, TDX, SEV_SNP or SGX
   * @param provider the platform's provider name
   * @param quote the evidence bytes ({@code wetee attest verify} takes them as a file, hex or
   *     binary)
   * @param auxiliary extra platform data (SEV-SNP certificate table), or {@code 0x}
   */
  public record EvidenceView(String type, String provider, String quote, String auxiliary) {}

  /**
   * {@code GET /.well-known/wetee/attestation}. The evidence's report_data is {@code
   * ReportData(chainId, cloud, workloadId, version, instance, nonce)}: anyone can recompute it from
   * the fields here and check it, the evidence (with {@code wetee attest verify}) and the verdict
   * signatures (EIP-712, domain WeTEE Committee at {@code committee}).
   */
  public record Attestation(
      String format,
      long workloadId,
      long version,
      String chainId,
      String cloud,
      String committee,
      String instance,
      String instanceKey,
      String nonce,
      String reportData,
      String specHash,
      boolean simulated,
      EvidenceView evidence,
      VerdictView verdict,
      List<Signature> signatures) {}

  /**
   * Body of {@code POST /v1/proof}: the block range to settle ({@code fromBlock} = last settled).
   */
  public record ProofRequest(long fromBlock, long toBlock) {}

  /** A half-open range {@code [from, to)} of log chunk or metric sample sequence numbers. */
  public record Range(long from, long to) {}

  /**
   * Answer of {@code POST /v1/proof}: the EIP-712 {@code SettleProof} fields, its digest in domain
   * WeTEE Cloud, and the instance's signature; plus which chunks and samples the roots cover.
   */
  public record Proof(
      long workloadId,
      long version,
      long fromBlock,
      long toBlock,
      String logsRoot,
      String metricsRoot,
      String digest,
      String signer,
      String signature,
      Range logs,
      Range metrics) {
    /** The signed struct, as {@code CloudClient.settle} takes it. */
    public SettleProof toSettleProof() {
      return new SettleProof(
          workloadId,
          version,
          fromBlock,
          toBlock,
          Bytes32.fromHex(logsRoot),
          Bytes32.fromHex(metricsRoot));
    }

    @JsonIgnore
    public EthSignature ethSignature() {
      return EthSignature.fromHex(signature);
    }
  }

  /** Body of {@code POST /v1/run-result}; {@code runId}, when given, must be the configured one. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RunResultRequest(Long runId) {}

  /** Answer of {@code POST /v1/run-result}: the EIP-712 {@code RunResult} and its signature. */
  public record RunResultView(
      long workloadId,
      long version,
      long runId,
      int exitCode,
      String resultHash,
      String logsHash,
      boolean timedOut,
      String digest,
      String signer,
      String signature) {
    /** The signed struct, as {@code CloudClient.completeRun} takes it. */
    public RunResult toRunResult() {
      return new RunResult(
          workloadId,
          version,
          runId,
          exitCode,
          Bytes32.fromHex(resultHash),
          Bytes32.fromHex(logsHash));
    }

    @JsonIgnore
    public EthSignature ethSignature() {
      return EthSignature.fromHex(signature);
    }
  }

  /** Answer of {@code POST /v1/reattest}: a fresh verdict and q signatures for Cloud.reattest. */
  public record Reattestation(VerdictView verdict, List<Signature> signatures) {
    public List<SignedBy> signedBy() {
      return signatures.stream().map(Signature::toSignedBy).toList();
    }
  }

  /** A committee member that did not release, and why (its refusal code, or timeout etc.). */
  public record MemberRefusal(String member, String reason, String detail) {}

  /** The program as supervised. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Program(
      Long pid, int restarts, Integer lastExitCode, Long startedAt, boolean running) {}

  /** The last health check: {@code healthy}, {@code unhealthy} or {@code unknown}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Health(String state, Long checkedAt, int consecutiveFailures, String detail) {}

  /**
   * {@code GET /v1/status}. {@code state}: {@code attesting}, {@code failed} (failed closed: {@code
   * reason} is a {@link FailureReason} code, the program never ran), {@code running}, {@code
   * finished} (the program ended for good: {@code exitCode}), {@code stopped}.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Status(
      String state,
      String reason,
      String detail,
      List<MemberRefusal> refusals,
      Integer exitCode,
      Boolean timedOut,
      String instance,
      String specHash,
      Long verdictExpiresAt,
      Program program,
      Health health) {}

  /** A log chunk; {@code text} (UTF-8, lossy) and {@code base64} are absent once dropped. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record LogChunk(
      long seq, String stream, long startedAt, int size, String hash, String text, String base64) {}

  /** {@code GET /v1/logs?since=SEQ&limit=N}: chunks, the next {@code since}, bytes dropped. */
  public record Logs(List<LogChunk> chunks, long next, long droppedBytes) {}

  /** One CPU/memory sample of the program's process tree. */
  public record MetricSample(
      long seq, long at, long cpuMillis, long rssBytes, int processes, int restarts, String hash) {}

  /** {@code GET /v1/metrics?since=SEQ&limit=N}. */
  public record Metrics(List<MetricSample> samples, long next) {}
}
