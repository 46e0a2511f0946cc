package io.wetee.secretnode;

import io.wetee.attestation.EvidenceVerifier;
import io.wetee.chain.ChainClient;
import io.wetee.chain.Deployment;
import io.wetee.chain.SecretNodeInfo;
import io.wetee.common.Hex;
import io.wetee.crypto.Address;
import io.wetee.crypto.Point;
import io.wetee.crypto.PrivateKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;

/**
 * A running secret node: the composition root of one committee member (sealed keys, chain client,
 * evidence verifier, release service, audit log, rate limiter, HTTP API and the on-chain DKG
 * driver). {@link #start} returns once the API listens; {@link #close} stops everything.
 */
public final class SecretNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SecretNode.class);

  private final SecretNodeConfig config;
  private final NodeKeys nodeKeys;
  private final KeyRing ring;
  private final ChainClient chain;
  private final List<AutoCloseable> resources;
  private final int port;

  private SecretNode(
      SecretNodeConfig config,
      NodeKeys nodeKeys,
      KeyRing ring,
      ChainClient chain,
      List<AutoCloseable> resources,
      int port) {
    this.config = config;
    this.nodeKeys = nodeKeys;
    this.ring = ring;
    this.chain = chain;
    this.resources = resources;
    this.port = port;
  }

  /** Starts a node with the system clock and the default sealing KDF cost. */
  public static SecretNode start(SecretNodeConfig config) {
    return start(
        config, Clock.systemUTC(), SealedStore.DEFAULT_ITERATIONS, ChainDkg.Behaviour.HONEST);
  }

  static SecretNode start(
      SecretNodeConfig config, Clock clock, int kdfIterations, ChainDkg.Behaviour behaviour) {
    LOG.info("starting secret node with {}", config);
    SecureRandom rnd = new SecureRandom();
    Deployment d = Deployment.load(config.deployment());
    SealedStore store =
        SealedStore.open(
            config.dataDir().resolve("node.sealed"), config.passphrase(), kdfIterations, rnd);
    NodeKeys keys = NodeKeys.open(store, () -> importedAccount(config, d), rnd);
    ChainClient chain =
        ChainClient.connect(
            d, Optional.of(Credentials.create(Hex.encode(keys.account().encode()))));
    List<AutoCloseable> resources = new ArrayList<>();
    resources.add(chain);
    try {
      KeyRing ring = new KeyRing();
      keys.latest().ifPresent(ring::install);
      ReleaseService release =
          new ReleaseService(
              new OnChainView(chain),
              EvidenceVerifier.builder().clock(clock).build(),
              ring,
              keys.account(),
              Address.fromHex(d.address("Committee")),
              config.release(),
              clock,
              rnd);
      AuditLog audit = new AuditLog(config.dataDir().resolve("audit.log"));
      resources.add(audit);
      Api api =
          new Api(
              release,
              ring,
              keys.account().address(),
              keys.encryptionKey().publicKey(),
              audit,
              new RateLimiter(config.rateLimit().perSecond(), config.rateLimit().burst()),
              clock);
      resources.add(0, api);
      int port = api.start(config.listen().host(), config.listen().port());
      SecretNode node = new SecretNode(config, keys, ring, chain, resources, port);
      if (config.dkg().enabled()) {
        if (config.dkg().register()) {
          node.ensureRegistered();
        }
        ChainDkg dkg =
            new ChainDkg(
                chain,
                keys,
                ring,
                java.time.Duration.ofMillis(config.dkg().pollMillis()),
                behaviour);
        resources.add(0, dkg);
        dkg.start();
      }
      LOG.info("secret node {} listening on {}", keys.account().address(), node.endpoint());
      return node;
    } catch (RuntimeException e) {
      closeAll(resources);
      throw e;
    }
  }

  private static Optional<PrivateKey> importedAccount(SecretNodeConfig c, Deployment d) {
    if (c.account().devAccount() != null) {
      return Optional.of(PrivateKey.fromHex(d.account(c.account().devAccount()).privateKey()));
    }
    if (c.account().keyFile() != null) {
      try {
        return Optional.of(
            PrivateKey.fromHex(
                Files.readString(c.account().keyFile(), StandardCharsets.UTF_8).strip()));
      } catch (IOException e) {
        throw new SecretNodeException("cannot read key file " + c.account().keyFile(), e);
      }
    }
    return Optional.empty();
  }

  /** Registers this node on Subnet (endpoint and encryption key) unless its account already has. */
  public long ensureRegistered() {
    String me = address().toLowerCase(java.util.Locale.ROOT);
    for (SecretNodeInfo n : chain.subnet().secretNodes()) {
      if (n.account().equalsIgnoreCase(me) && n.status() == SecretNodeInfo.Status.ACTIVE) {
        return n.id();
      }
    }
    return chain.subnet().registerSecretNode(endpoint(), encryptionKey().encode());
  }

  /** The bound API port. */
  public int port() {
    return port;
  }

  /** The URL other parties reach the API at. */
  public String endpoint() {
    return config.publicEndpoint(port);
  }

  /** The node's account address (committee member address, verdict signer), EIP-55. */
  public String address() {
    return nodeKeys.account().address().toString();
  }

  /** The DKG encryption public key registered on Subnet. */
  public Point encryptionKey() {
    return nodeKeys.encryptionKey().publicKey();
  }

  /** The epoch key this node serves with, if any. */
  public Optional<EpochKey> currentKey() {
    return ring.current();
  }

  /** Installs (and seals) key material obtained outside the on-chain DKG, e.g. in tests. */
  void installKey(EpochKey key) {
    nodeKeys.saveEpoch(key);
    ring.install(key);
  }

  PrivateKey encryptionPrivateKey() {
    return nodeKeys.encryptionKey();
  }

  @Override
  public void close() {
    closeAll(resources);
  }

  private static void closeAll(List<AutoCloseable> resources) {
    for (AutoCloseable r : resources) {
      try {
        r.close();
      } catch (Exception e) {
        LOG.warn("closing {} failed: {}", r.getClass().getSimpleName(), e.toString());
      }
    }
  }
}
