package io.wetee.chain;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthEstimateGas;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * Sends transactions from one account: gas estimation (a revert found there is decoded and thrown
 * before anything is signed), EIP-1559 fees where the chain has a base fee (legacy gas price
 * otherwise), nonces, retries of transient RPC failures, and receipts with decoded reverts.
 *
 * <p>Threading: safe for any number of concurrent callers. Nonce assignment, signing and submission
 * happen under one lock per sender, so nonces are handed out in submission order and a failed
 * submission never leaves a gap: the nonce is only consumed once the node accepted the transaction.
 * Waiting for receipts happens outside the lock. Use one sender per account per process; a second
 * process sending from the same account is tolerated (a "nonce too low" answer resynchronises from
 * the node's pending count) but serialises poorly.
 */
public final class TxSender {
  private static final Logger LOG = LoggerFactory.getLogger(TxSender.class);

  /** Tunables; {@link #defaults()} suits a local node and public RPCs alike. */
  public record Options(
      int maxAttempts,
      Duration retryBackoff,
      Duration receiptPoll,
      Duration receiptTimeout,
      double gasMultiplier) {
    /** Five attempts, 200 ms backoff doubling, receipts polled every 50 ms for up to 2 min. */
    public static Options defaults() {
      return new Options(
          5, Duration.ofMillis(200), Duration.ofMillis(50), Duration.ofMinutes(2), 1.3);
    }
  }

  private final Web3j web3j;
  private final Credentials credentials;
  private final long chainId;
  private final ErrorDecoder errors;
  private final Options options;
  private final RpcCaller rpc;
  private final ReentrantLock lock = new ReentrantLock();
  private BigInteger nextNonce; // guarded by lock; null until first use or after a resync

  TxSender(
      Web3j web3j, Credentials credentials, long chainId, ErrorDecoder errors, Options options) {
    this.web3j = web3j;
    this.credentials = credentials;
    this.chainId = chainId;
    this.errors = errors;
    this.options = options;
    this.rpc = new RpcCaller(web3j, errors, options);
  }

  /** The sending account's address (0x, lower case). */
  public String address() {
    return credentials.getAddress();
  }

  /**
   * Submits a transaction and waits for its receipt; reverts throw {@link
   * ContractRevertedException}.
   */
  public TransactionReceipt send(String to, String data, BigInteger value) {
    String hash = submit(to, data, value);
    return waitForReceipt(hash, to, data, value);
  }

  /**
   * Estimates, signs and submits a transaction; returns its hash once the node accepted it.
   *
   * @throws ContractRevertedException when the estimation shows the call would revert
   * @throws ChainException when the node cannot be reached after every retry
   */
  public String submit(String to, String data, BigInteger value) {
    // The fee reads do not depend on the estimate: both go to the node at once.
    CompletableFuture<Fees> pendingFees =
        CompletableFuture.supplyAsync(this::fees, Thread.ofVirtual()::start);
    BigInteger gasLimit = estimateGas(to, data, value);
    Fees fees;
    try {
      fees = pendingFees.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
    lock.lock();
    try {
      for (int attempt = 1; ; attempt++) {
        BigInteger nonce = nonce();
        String signed = sign(nonce, gasLimit, to, data, value, fees);
        String hash = Hash.sha3(signed);
        Optional<String> outcome = trySend(signed, hash, attempt);
        if (outcome.isPresent()) {
          nextNonce = nonce.add(BigInteger.ONE);
          return outcome.get();
        }
        nextNonce = null; // resync from the node and sign again
      }
    } finally {
      lock.unlock();
    }
  }

  /** Polls for the receipt; a failed status is replayed as a call to decode the revert. */
  public TransactionReceipt waitForReceipt(String hash, String to, String data, BigInteger value) {
    TransactionReceipt r = pollReceipt(hash);
    if (!r.isStatusOK()) {
      throw revertOf(r, to, data, value);
    }
    return r;
  }

  /**
   * Waits for the receipt of a transaction known only by hash (used by the wrappers' path); the
   * transaction itself is read only when it failed, to replay it for the revert reason.
   */
  TransactionReceipt waitForReceipt(String hash) {
    TransactionReceipt r = pollReceipt(hash);
    if (r.isStatusOK()) {
      return r;
    }
    org.web3j.protocol.core.methods.response.Transaction tx =
        rpc.retrying("eth_getTransactionByHash", () -> web3j.ethGetTransactionByHash(hash).send())
            .getTransaction()
            .orElseThrow(() -> new ChainException("unknown transaction " + hash));
    throw revertOf(r, tx.getTo(), tx.getInput(), tx.getValue());
  }

  private TransactionReceipt pollReceipt(String hash) {
    long deadline = System.nanoTime() + options.receiptTimeout().toNanos();
    while (System.nanoTime() < deadline) {
      Optional<TransactionReceipt> receipt =
          rpc.retrying(
                  "eth_getTransactionReceipt", () -> web3j.ethGetTransactionReceipt(hash).send())
              .getTransactionReceipt();
      if (receipt.isPresent()) {
        return receipt.get();
      }
      sleep(options.receiptPoll());
    }
    throw new ChainException(
        "transaction " + hash + " not mined within " + options.receiptTimeout());
  }

  /**
   * Executes a read-only call at the latest block; reverts throw {@link ContractRevertedException}.
   */
  public String call(String to, String data) {
    return call(to, data, BigInteger.ZERO, DefaultBlockParameterName.LATEST);
  }

  String call(String to, String data, BigInteger value, DefaultBlockParameter block) {
    return rpc.call(address(), to, data, value, block);
  }

  private BigInteger estimateGas(String to, String data, BigInteger value) {
    Transaction tx = new Transaction(address(), null, null, null, to, value, data);
    EthEstimateGas est = rpc.retrying("eth_estimateGas", () -> web3j.ethEstimateGas(tx).send());
    if (est.hasError()) {
      throw rpc.failure("eth_estimateGas", est.getError());
    }
    double limit = est.getAmountUsed().doubleValue() * options.gasMultiplier();
    return BigInteger.valueOf((long) Math.ceil(limit)).add(BigInteger.valueOf(10_000));
  }

  private record Fees(BigInteger gasPrice, BigInteger maxPriorityFee, BigInteger maxFee) {
    boolean eip1559() {
      return maxFee != null;
    }
  }

  private Fees fees() {
    EthBlock.Block latest =
        rpc.retrying(
                "eth_getBlockByNumber",
                () -> web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send())
            .getBlock();
    if (latest != null && latest.getBaseFeePerGasRaw() != null) {
      BigInteger tip =
          rpc.retrying("eth_maxPriorityFeePerGas", () -> web3j.ethMaxPriorityFeePerGas().send())
              .getMaxPriorityFeePerGas();
      BigInteger maxFee = latest.getBaseFeePerGas().multiply(BigInteger.TWO).add(tip);
      return new Fees(null, tip, maxFee);
    }
    BigInteger price = rpc.retrying("eth_gasPrice", () -> web3j.ethGasPrice().send()).getGasPrice();
    return new Fees(price, null, null);
  }

  private BigInteger nonce() {
    if (nextNonce == null) {
      nextNonce =
          rpc.retrying(
                  "eth_getTransactionCount",
                  () ->
                      web3j
                          .ethGetTransactionCount(address(), DefaultBlockParameterName.PENDING)
                          .send())
              .getTransactionCount();
    }
    return nextNonce;
  }

  private String sign(
      BigInteger nonce, BigInteger gas, String to, String data, BigInteger value, Fees fees) {
    if (fees.eip1559()) {
      RawTransaction raw =
          RawTransaction.createTransaction(
              chainId, nonce, gas, to, value, data, fees.maxPriorityFee(), fees.maxFee());
      return Numeric.toHexString(TransactionEncoder.signMessage(raw, credentials));
    }
    RawTransaction raw =
        RawTransaction.createTransaction(nonce, fees.gasPrice(), gas, to, value, data);
    return Numeric.toHexString(TransactionEncoder.signMessage(raw, chainId, credentials));
  }

  /**
   * Sends one signed transaction, retrying transport failures with the same bytes (idempotent: the
   * node answers "already known" for a duplicate). Returns the hash when accepted, or empty when
   * the nonce was stale and the caller must resync and sign again.
   */
  private Optional<String> trySend(String signed, String hash, int resyncs) {
    if (resyncs > options.maxAttempts()) {
      throw new ChainException("nonce kept changing under " + address() + "; another sender?");
    }
    EthSendTransaction sent =
        rpc.retrying("eth_sendRawTransaction", () -> web3j.ethSendRawTransaction(signed).send());
    if (!sent.hasError()) {
      return Optional.of(sent.getTransactionHash());
    }
    String msg = sent.getError().getMessage().toLowerCase(Locale.ROOT);
    if (msg.contains("already known") || msg.contains("known transaction")) {
      return Optional.of(hash);
    }
    if (msg.contains("nonce too low")
        || msg.contains("nonce has already been used")
        || msg.contains("underpriced")
        || msg.contains("nonce too high")) {
      if (transactionExists(hash)) {
        return Optional.of(hash); // an earlier attempt of ours did land
      }
      LOG.debug("stale nonce for {}: {}", address(), msg);
      return Optional.empty();
    }
    throw rpc.failure("eth_sendRawTransaction", sent.getError());
  }

  private boolean transactionExists(String hash) {
    return rpc.retrying(
            "eth_getTransactionByHash", () -> web3j.ethGetTransactionByHash(hash).send())
        .getTransaction()
        .isPresent();
  }

  private ChainException revertOf(TransactionReceipt r, String to, String data, BigInteger value) {
    BigInteger before = r.getBlockNumber().subtract(BigInteger.ONE);
    try {
      call(to, data, value, DefaultBlockParameter.valueOf(before));
    } catch (ContractRevertedException e) {
      return e;
    }
    return new ChainException("transaction " + r.getTransactionHash() + " reverted (no reason)");
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ChainException("interrupted while waiting", e);
    }
  }
}
