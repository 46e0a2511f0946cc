package io.wetee.chain;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;

/**
 * JSON-RPC requests with retries of transport failures and decoded reverts, shared by {@link
 * TxSender} and read-only clients. Thread-safe.
 */
final class RpcCaller {
  private static final Logger LOG = LoggerFactory.getLogger(RpcCaller.class);

  private final Web3j web3j;
  private final ErrorDecoder errors;
  private final TxSender.Options options;

  RpcCaller(Web3j web3j, ErrorDecoder errors, TxSender.Options options) {
    this.web3j = web3j;
    this.errors = errors;
    this.options = options;
  }

  /** Executes {@code eth_call}; a revert throws {@link ContractRevertedException}. */
  String call(String from, String to, String data, BigInteger value, DefaultBlockParameter block) {
    Transaction tx = new Transaction(from, null, null, null, to, value, data);
    EthCall result = retrying("eth_call", () -> web3j.ethCall(tx, block).send());
    if (result.hasError()) {
      throw failure("eth_call", result.getError());
    }
    if (result.isReverted()) {
      throw new ContractRevertedException(errors.decodeOrRaw(result.getValue()));
    }
    return result.getValue();
  }

  /** The exception for a JSON-RPC error: a decoded revert when it carries revert data. */
  ChainException failure(String method, Response.Error error) {
    Optional<String> data = RevertData.of(error);
    if (data.isPresent()) {
      return new ContractRevertedException(errors.decodeOrRaw(data.get()));
    }
    return new ChainException(
        method + " failed: " + error.getMessage() + " (" + error.getCode() + ")");
  }

  /** An RPC request that may fail in transport. */
  @FunctionalInterface
  interface Rpc<T> {
    T call() throws IOException;
  }

  /** Runs a request, retrying transport failures with exponential backoff. */
  <T> T retrying(String method, Rpc<T> rpc) {
    Duration backoff = options.retryBackoff();
    for (int attempt = 1; ; attempt++) {
      try {
        return rpc.call();
      } catch (IOException | RuntimeException e) {
        if (e instanceof ChainException || attempt >= options.maxAttempts()) {
          throw new ChainException(
              method + " failed after " + attempt + " attempts: " + e.getMessage(), e);
        }
        LOG.debug("{} attempt {} failed, retrying: {}", method, attempt, e.toString());
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new ChainException("interrupted while retrying " + method, ie);
        }
        backoff = backoff.multipliedBy(2);
      }
    }
  }
}
