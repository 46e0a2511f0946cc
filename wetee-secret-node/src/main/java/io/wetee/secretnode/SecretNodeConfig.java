package io.wetee.secretnode;

import com.fasterxml.jackson.core.JacksonException;
import io.wetee.attestation.TcbStatus;
import io.wetee.common.Json;
import io.wetee.common.Secret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The secret node's configuration, one immutable record tree: YAML file &lt; {@code WETEE_*}
 * environment &lt; flags (see {@link #load}). Unknown fields fail; {@link #toString()} shows no
 * secret (the passphrase is a {@link Secret}).
 *
 * @param deployment the deployment file (chain id, RPC URL, contract addresses)
 * @param dataDir sealed store, audit log and follower cursors
 * @param listen where the HTTP API listens
 * @param endpoint the public URL registered on chain (default {@code http://host:port})
 * @param account the node's Ethereum account key: imported into the sealed store on first start
 * @param passphrase derives the sealing key ({@code WETEE_SEAL_PASSPHRASE} overrides)
 * @param release release policy
 * @param rateLimit per-client limits of {@code POST /v1/release}
 * @param dkg DKG participation
 */
public record SecretNodeConfig(
    Path deployment,
    Path dataDir,
    Listen listen,
    String endpoint,
    Account account,
    Secret passphrase,
    Release release,
    RateLimit rateLimit,
    Dkg dkg) {

  /** Host and port of the API; port 0 picks a free one. */
  public record Listen(String host, Integer port) {
    public Listen {
      host = host == null ? "127.0.0.1" : host;
      port = port == null ? 7100 : port;
    }
  }

  /**
   * Where the node's account key comes from on first start; afterwards the sealed store has it.
   *
   * @param devAccount a development account index of the deployment (devnet only)
   * @param keyFile a file with the hex private key
   */
  public record Account(Integer devAccount, Path keyFile) {}

  /**
   * @param allowSimulated accept SIMULATED evidence (development networks only)
   * @param verdictValiditySeconds expiresAt - issuedAt of signed verdicts
   * @param maxClockSkewSeconds how far a request's issuedAt may be from this node's clock
   * @param worstTcb the worst TCB status this node accepts, whatever a spec allows
   */
  public record Release(
      Boolean allowSimulated,
      Long verdictValiditySeconds,
      Long maxClockSkewSeconds,
      TcbStatus worstTcb) {
    public Release {
      allowSimulated = allowSimulated != null && allowSimulated;
      verdictValiditySeconds = verdictValiditySeconds == null ? 3600 : verdictValiditySeconds;
      maxClockSkewSeconds = maxClockSkewSeconds == null ? 120 : maxClockSkewSeconds;
      worstTcb = worstTcb == null ? TcbStatus.SWHardeningNeeded : worstTcb;
      if (verdictValiditySeconds < 60 || maxClockSkewSeconds < 1) {
        throw new IllegalArgumentException(
            "verdictValiditySeconds >= 60, maxClockSkewSeconds >= 1");
      }
    }

    public static Release defaults() {
      return new Release(null, null, null, null);
    }
  }

  /** Token bucket per client address: {@code perSecond} refill, {@code burst} capacity. */
  public record RateLimit(Double perSecond, Integer burst) {
    public RateLimit {
      perSecond = perSecond == null ? 20.0 : perSecond;
      burst = burst == null ? 40 : burst;
      if (perSecond <= 0 || burst < 1) {
        throw new IllegalArgumentException("rateLimit needs perSecond > 0 and burst >= 1");
      }
    }
  }

  /**
   * @param enabled take part in DKG and resharing (false: serve a key installed otherwise)
   * @param register register this node on Subnet at start when it is not registered yet
   * @param pollMillis how often to poll the chain for DKG events
   */
  public record Dkg(Boolean enabled, Boolean register, Long pollMillis) {
    public Dkg {
      enabled = enabled == null || enabled;
      register = register == null || register;
      pollMillis = pollMillis == null ? 500 : pollMillis;
    }
  }

  public SecretNodeConfig {
    if (deployment == null || dataDir == null) {
      throw new IllegalArgumentException("deployment and dataDir are required");
    }
    listen = listen == null ? new Listen(null, null) : listen;
    account = account == null ? new Account(null, null) : account;
    passphrase = passphrase == null ? Secret.of("") : passphrase;
    release = release == null ? Release.defaults() : release;
    rateLimit = rateLimit == null ? new RateLimit(null, null) : rateLimit;
    dkg = dkg == null ? new Dkg(null, null, null) : dkg;
  }

  /** The endpoint to publish: the configured one, else {@code http://host:port}. */
  public String publicEndpoint(int boundPort) {
    return endpoint != null ? endpoint : "http://" + listen.host() + ":" + boundPort;
  }

  /**
   * Loads a YAML file, then applies the environment ({@code WETEE_SEAL_PASSPHRASE}, {@code
   * WETEE_DEPLOYMENT}); validation errors are {@link IllegalArgumentException}s naming the field.
   */
  public static SecretNodeConfig load(Path file, Map<String, String> env) {
    SecretNodeConfig c;
    try {
      c = Json.yaml().readValue(Files.readString(file), SecretNodeConfig.class);
    } catch (JacksonException e) {
      throw new IllegalArgumentException(
          "invalid secret-node config " + file + ": " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (c == null) {
      throw new IllegalArgumentException("empty secret-node config " + file);
    }
    Path base = file.toAbsolutePath().getParent();
    return c.withEnv(env).resolvedAgainst(base);
  }

  SecretNodeConfig withEnv(Map<String, String> env) {
    Secret pass =
        Optional.ofNullable(env.get("WETEE_SEAL_PASSPHRASE")).map(Secret::of).orElse(passphrase);
    Path dep = Optional.ofNullable(env.get("WETEE_DEPLOYMENT")).map(Path::of).orElse(deployment);
    return new SecretNodeConfig(
        dep, dataDir, listen, endpoint, account, pass, release, rateLimit, dkg);
  }

  private SecretNodeConfig resolvedAgainst(Path base) {
    Path kf = account.keyFile() == null ? null : base.resolve(account.keyFile());
    return new SecretNodeConfig(
        base.resolve(deployment),
        base.resolve(dataDir),
        listen,
        endpoint,
        new Account(account.devAccount(), kf),
        passphrase,
        release,
        rateLimit,
        dkg);
  }
}
