package io.wetee.agent;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wetee.common.Json;
import io.wetee.common.Secret;
import io.wetee.crypto.Address;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The agent's configuration, written by the worker into the instance (for example {@code
 * /wetee/agent.json}) and loaded strictly: unknown fields fail, required fields are checked, every
 * optional field has the default named below. JSON, or YAML when the file name ends in {@code
 * .yaml}/{@code .yml}. Immutable; {@link #toString()} shows no secret (the quoting token is a
 * {@link Secret}).
 *
 * <p>Trust: the worker writes this file and is not trusted. Nothing here can change what the
 * program is (command and environment come from the spec, whose hash is the measurement); see the
 * module README for what a lying worker can and cannot do with it.
 *
 * @param workloadId the workload on chain
 * @param version the workload version this instance runs
 * @param network chain id and contract addresses bound into report_data, verdicts and proofs
 * @param committee the members to ask for verdicts and secrets
 * @param spec the workload spec exactly as on chain (its canonical JSON text); keccak256 of its
 *     UTF-8 bytes is the spec hash
 * @param container the container of the spec this instance runs (optional when it has one)
 * @param evidence where evidence comes from
 * @param listen where the control API listens (default 127.0.0.1:7700)
 * @param paths directories of the instance
 * @param restart restart policy of the program
 * @param health the port the health check calls (default the container's first port)
 * @param logs log store bounds
 * @param metrics sampling interval and bounds
 * @param task task-mode settings (required for {@code kind: task})
 * @param reattest automatic renewal of verdicts
 * @param retry how often the first attestation is tried when it fails for a transient reason
 * @param image the documents of the spec's OCI image (absent for program bundles): the agent checks
 *     them against the digest the spec pins before using the image's entrypoint, cmd and env, so
 *     the worker cannot change the program through them
 */
public record AgentConfig(
    long workloadId,
    long version,
    Network network,
    Committee committee,
    String spec,
    String container,
    Evidence evidence,
    Listen listen,
    Paths paths,
    Restart restart,
    Health health,
    Logs logs,
    Metrics metrics,
    Task task,
    Reattest reattest,
    Retry retry,
    Image image) {

  /**
   * @param chainId EIP-155 chain id
   * @param cloud the Cloud contract (report_data, secret bindings, proof domain)
   * @param committee the Committee contract (verdict domain)
   */
  public record Network(BigInteger chainId, String cloud, String committee) {
    public Network {
      require(chainId != null && chainId.signum() > 0, "network.chainId is required");
      cloud = AgentConfig.address(cloud, "network.cloud");
      committee = AgentConfig.address(committee, "network.committee");
    }
  }

  /**
   * @param members the committee in committee order (the worker reads them from chain)
   * @param quorum q; default floor(2n/3) + 1
   * @param groupKey optional compressed group key (hex) the members' key must equal
   * @param timeoutMillis per-request timeout (default 10000)
   */
  public record Committee(
      List<Member> members, Integer quorum, String groupKey, Long timeoutMillis) {
    public Committee {
      require(members != null && !members.isEmpty(), "committee.members must not be empty");
      members = List.copyOf(members);
      quorum = quorum == null ? members.size() * 2 / 3 + 1 : quorum;
      require(quorum >= 1 && quorum <= members.size(), "committee.quorum must be 1..members");
      timeoutMillis = timeoutMillis == null ? 10_000L : timeoutMillis;
      require(timeoutMillis > 0, "committee.timeoutMillis must be positive");
    }
  }

  /** A member: 1-based index in the committee, account address, HTTP endpoint. */
  public record Member(int index, String address, String endpoint) {
    public Member {
      require(index >= 1, "committee member index must be >= 1");
      address = AgentConfig.address(address, "committee member address");
      require(endpoint != null && endpoint.startsWith("http"), "member endpoint must be a URL");
    }
  }

  /** Where evidence comes from. */
  public enum EvidenceType {
    /** The worker's quoting service ({@link QuotingService}); development only. */
    SIMULATED,
    /** Linux configfs-tsm (TDX and SEV-SNP guests). */
    CONFIGFS_TSM,
    /** Gramine's {@code /dev/attestation} (SGX). */
    GRAMINE
  }

  /**
   * @param type the evidence source
   * @param quotingUrl SIMULATED: the quoting service URL (ending in {@link QuotingService#PATH})
   * @param token SIMULATED: the bearer token the worker registered this instance under
   * @param path CONFIGFS_TSM / GRAMINE: a non-default root directory
   */
  public record Evidence(EvidenceType type, String quotingUrl, Secret token, Path path) {
    public Evidence {
      require(type != null, "evidence.type is required");
      if (type == EvidenceType.SIMULATED) {
        require(quotingUrl != null && quotingUrl.startsWith("http"), "evidence.quotingUrl");
        require(token != null && !token.isEmpty(), "evidence.token is required for SIMULATED");
      }
    }
  }

  /** Host and port of the control API; port 0 picks a free one. */
  public record Listen(String host, Integer port) {
    public Listen {
      host = host == null ? "127.0.0.1" : host;
      port = port == null ? 7700 : port;
      require(port >= 0 && port <= 65535, "listen.port out of range");
    }
  }

  /**
   * @param filesRoot spec file paths are written under this directory (default {@code /}); the
   *     local runtime points it at the instance's private directory
   * @param workDir the program's working directory (default the agent's)
   */
  public record Paths(Path filesRoot, Path workDir) {
    public Paths {
      filesRoot = filesRoot == null ? Path.of("/") : filesRoot.toAbsolutePath();
      workDir = workDir == null ? Path.of("").toAbsolutePath() : workDir.toAbsolutePath();
    }
  }

  /** When the program is restarted after it exits on its own. */
  public enum RestartMode {
    ALWAYS("always"),
    ON_FAILURE("on-failure"),
    NEVER("never");

    private final String code;

    RestartMode(String code) {
      this.code = code;
    }

    @JsonValue
    public String code() {
      return code;
    }

    @JsonCreator
    public static RestartMode of(String code) {
      for (RestartMode m : values()) {
        if (m.code.equals(code)) {
          return m;
        }
      }
      throw new IllegalArgumentException("restart.policy must be always, on-failure or never");
    }
  }

  /**
   * @param policy default {@code always} for services, {@code never} for tasks
   * @param maxRestarts default unlimited
   * @param initialBackoffMillis first delay (default 500), doubled per consecutive restart
   * @param maxBackoffMillis delay cap (default 30000); a run that lasted this long resets it
   */
  public record Restart(
      RestartMode policy, Integer maxRestarts, Long initialBackoffMillis, Long maxBackoffMillis) {
    public Restart {
      maxRestarts = maxRestarts == null ? Integer.MAX_VALUE : maxRestarts;
      initialBackoffMillis = initialBackoffMillis == null ? 500L : initialBackoffMillis;
      maxBackoffMillis = maxBackoffMillis == null ? 30_000L : maxBackoffMillis;
      require(maxRestarts >= 0, "restart.maxRestarts must be >= 0");
      require(
          initialBackoffMillis > 0 && maxBackoffMillis >= initialBackoffMillis,
          "restart backoff must be positive and max >= initial");
    }
  }

  /**
   * @param port where the program's health path is served (default the spec's first port)
   */
  public record Health(Integer port) {}

  /**
   * @param chunkBytes a chunk is sealed at this size (default 16384)
   * @param maxBytes chunk contents kept (default 8 MiB); older contents are dropped, hashes kept
   */
  public record Logs(Integer chunkBytes, Long maxBytes) {
    public Logs {
      chunkBytes = chunkBytes == null ? 16_384 : chunkBytes;
      maxBytes = maxBytes == null ? 8L << 20 : maxBytes;
      require(chunkBytes >= 64 && maxBytes >= chunkBytes, "logs bounds too small");
    }
  }

  /**
   * @param intervalMillis sampling interval (default 5000)
   * @param maxSamples samples kept (default 17280, a day at 5 s)
   */
  public record Metrics(Long intervalMillis, Integer maxSamples) {
    public Metrics {
      intervalMillis = intervalMillis == null ? 5_000L : intervalMillis;
      maxSamples = maxSamples == null ? 17_280 : maxSamples;
      require(intervalMillis >= 50 && maxSamples >= 1, "metrics bounds too small");
    }
  }

  /**
   * @param runId the run this instance executes (the Cloud's next run id); the agent signs a result
   *     for this run only
   * @param resultFile the file whose keccak256 is the result hash (default: all of stdout)
   * @param lingerSeconds how long to wait for the worker to fetch the run result (default 300)
   * @param keepSeconds how long to keep serving (status, logs, metrics) after the result was
   *     fetched, so the owner can read the run's logs (default 0: exit at once); the worker stops
   *     the instance sooner when it retires the run
   */
  public record Task(Long runId, Path resultFile, Long lingerSeconds, Long keepSeconds) {
    public Task {
      require(runId != null && runId >= 0, "task.runId is required");
      lingerSeconds = lingerSeconds == null ? 300L : lingerSeconds;
      keepSeconds = keepSeconds == null ? 0L : keepSeconds;
      require(lingerSeconds >= 0 && keepSeconds >= 0, "task timings");
    }
  }

  /**
   * @param beforeExpirySeconds renew verdicts this long before they expire (default 900)
   * @param retrySeconds delay after a failed renewal (default 30)
   */
  public record Reattest(Long beforeExpirySeconds, Long retrySeconds) {
    public Reattest {
      beforeExpirySeconds = beforeExpirySeconds == null ? 900L : beforeExpirySeconds;
      retrySeconds = retrySeconds == null ? 30L : retrySeconds;
      require(beforeExpirySeconds >= 0 && retrySeconds >= 1, "reattest timings");
    }
  }

  /**
   * Transient failures of the first attestation (no evidence, no committee key, members that time
   * out or are unreachable, rate-limited or not ready) are retried; a refusal on the merits never
   * is. The program still never starts before an attestation succeeded.
   *
   * @param attempts tries in all (default 3)
   * @param delayMillis delay before the second try, growing linearly (default 2000)
   */
  public record Retry(Integer attempts, Long delayMillis) {
    public Retry {
      attempts = attempts == null ? 3 : attempts;
      delayMillis = delayMillis == null ? 2_000L : delayMillis;
      require(attempts >= 1 && delayMillis >= 0, "retry.attempts >= 1, retry.delayMillis >= 0");
    }
  }

  /**
   * The OCI documents that chain the spec's pinned image digest to its config, base64.
   *
   * @param index the image index (when the pinned digest is an index's), else absent
   * @param manifest the linux/amd64 image manifest
   * @param config the image config blob
   */
  public record Image(String index, String manifest, String config) {
    public Image {
      require(manifest != null && config != null, "image.manifest and image.config are required");
    }

    /** The decoded documents. */
    public io.wetee.oci.ImageDocuments documents() {
      java.util.Base64.Decoder b64 = java.util.Base64.getDecoder();
      try {
        return new io.wetee.oci.ImageDocuments(
            java.util.Optional.ofNullable(index).map(b64::decode),
            b64.decode(manifest),
            b64.decode(config));
      } catch (IllegalArgumentException e) {
        throw new io.wetee.common.spec.SpecException(
            "image documents are not base64: " + e.getMessage());
      }
    }
  }

  public AgentConfig {
    require(workloadId >= 0, "workloadId must be >= 0");
    require(version >= 0 && version <= 0xFFFF_FFFFL, "version must fit uint32");
    require(network != null, "network is required");
    require(committee != null, "committee is required");
    require(spec != null && !spec.isBlank(), "spec is required");
    require(evidence != null, "evidence is required");
    listen = listen == null ? new Listen(null, null) : listen;
    paths = paths == null ? new Paths(null, null) : paths;
    health = health == null ? new Health(null) : health;
    logs = logs == null ? new Logs(null, null) : logs;
    metrics = metrics == null ? new Metrics(null, null) : metrics;
    reattest = reattest == null ? new Reattest(null, null) : reattest;
    retry = retry == null ? new Retry(null, null) : retry;
  }

  /** Reads and validates a config file; every problem is an {@link AgentException}. */
  public static AgentConfig load(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    ObjectMapper mapper =
        name.endsWith(".yaml") || name.endsWith(".yml") ? Json.yaml() : Json.strict();
    try {
      AgentConfig c = mapper.readValue(Files.readAllBytes(file), AgentConfig.class);
      if (c == null) {
        throw new AgentException("empty agent config " + file);
      }
      return c;
    } catch (JacksonException e) {
      throw new AgentException("invalid agent config " + file + ": " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new AgentException("cannot read agent config " + file + ": " + e.getMessage(), e);
    }
  }

  /** Parses config JSON text (the worker's way to check what it writes). */
  public static AgentConfig parse(String json) {
    try {
      return Json.strict().readValue(json, AgentConfig.class);
    } catch (JacksonException e) {
      throw new AgentException("invalid agent config: " + e.getOriginalMessage(), e);
    }
  }

  /** The restart policy in force: the configured one, else the default for the kind. */
  Restart restartFor(boolean isTask) {
    Restart r = restart == null ? new Restart(null, null, null, null) : restart;
    if (r.policy() != null) {
      return r;
    }
    RestartMode mode = isTask ? RestartMode.NEVER : RestartMode.ALWAYS;
    return new Restart(mode, r.maxRestarts(), r.initialBackoffMillis(), r.maxBackoffMillis());
  }

  private static String address(String text, String field) {
    require(text != null, field + " is required");
    try {
      return Address.fromHex(text).toString();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(field + " is not an address: " + text, e);
    }
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
