package io.wetee.chain;

import java.io.IOException;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * The typed entry point to the WeTEE contracts of one {@link Deployment}: {@link #subnet()}, {@link
 * #cloud()} and {@link #committee()} expose every contract function and view with Java types;
 * transactions go through one {@link TxSender} (nonces, gas, retries, decoded reverts). Without
 * credentials the client is read-only and transactions fail with a clear error.
 *
 * <p>Thread-safe. Close it to release the HTTP client.
 */
public final class ChainClient implements AutoCloseable {
  private final Deployment deployment;
  private final Web3j web3j;
  private final Optional<TxSender> sender;
  private final TransactionManager txManager;
  private final SubnetClient subnet;
  private final CloudClient cloud;
  private final CommitteeClient committee;

  private ChainClient(Deployment deployment, Web3j web3j, Optional<Credentials> credentials) {
    this.deployment = deployment;
    this.web3j = web3j;
    ErrorDecoder errors = ErrorDecoder.bundled();
    this.sender =
        credentials.map(
            c -> new TxSender(web3j, c, deployment.chainId(), errors, TxSender.Options.defaults()));
    this.txManager =
        new SenderTransactionManager(
            web3j, sender, new RpcCaller(web3j, errors, TxSender.Options.defaults()));
    DefaultGasProvider gas = new DefaultGasProvider();
    this.subnet = new SubnetClient(this, deployment.address("Subnet"), web3j, txManager, gas);
    this.cloud = new CloudClient(this, deployment.address("Cloud"), web3j, txManager, gas);
    this.committee =
        new CommitteeClient(this, deployment.address("Committee"), web3j, txManager, gas);
  }

  /** Connects to the deployment's RPC URL, signing with {@code credentials} when present. */
  public static ChainClient connect(Deployment deployment, Optional<Credentials> credentials) {
    return new ChainClient(
        deployment, Web3j.build(RpcHttp.service(deployment.rpcUrl())), credentials);
  }

  /** The deployment this client talks to. */
  public Deployment deployment() {
    return deployment;
  }

  /** The raw web3j client, for followers and tools. */
  public Web3j web3j() {
    return web3j;
  }

  /** The transaction sender; fails when the client has no key. */
  public TxSender sender() {
    return sender.orElseThrow(
        () -> new ChainException("no key given: pass --key-file, WETEE_PRIVATE_KEY or --account"));
  }

  /** The signing account's address, when the client has a key. */
  public Optional<String> account() {
    return sender.map(TxSender::address);
  }

  public SubnetClient subnet() {
    return subnet;
  }

  public CloudClient cloud() {
    return cloud;
  }

  public CommitteeClient committee() {
    return committee;
  }

  /** The addresses of every WeTEE contract, for an {@link EventFollower}. */
  public List<String> contractAddresses() {
    return ErrorDecoder.CONTRACTS.stream().map(deployment::address).toList();
  }

  /** The latest block number. */
  public long blockNumber() {
    return rpc(() -> web3j.ethBlockNumber().send().getBlockNumber()).longValueExact();
  }

  /** The native balance of an address in wei. */
  public BigInteger balance(String address) {
    return rpc(
        () -> web3j.ethGetBalance(address, DefaultBlockParameterName.LATEST).send().getBalance());
  }

  /** Checks that the node answers and serves the deployment's chain id. */
  public long chainId() {
    long id = rpc(() -> web3j.ethChainId().send().getChainId()).longValueExact();
    if (id != deployment.chainId()) {
      throw new ChainException(
          "node at "
              + deployment.rpcUrl()
              + " serves chain "
              + id
              + ", deployment says "
              + deployment.chainId());
    }
    return id;
  }

  @FunctionalInterface
  interface Io<T> {
    T get() throws Exception;
  }

  /** Runs a call, mapping transport and web3j failures to {@link ChainException}. */
  static <T> T rpc(Io<T> call) {
    try {
      T value = call.get();
      if (value == null) {
        throw new ChainException("the node returned no result");
      }
      return value;
    } catch (ChainException e) {
      throw e;
    } catch (IOException e) {
      throw new ChainException("RPC failed: " + e.getMessage(), e);
    } catch (Exception e) {
      throw new ChainException("chain call failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    web3j.shutdown();
  }
}
