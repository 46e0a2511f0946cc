package io.wetee.chain;

import org.web3j.protocol.core.RemoteFunctionCall;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/** Runs generated-wrapper calls, mapping every failure to a {@link ChainException}. */
final class Tx {
  private Tx() {}

  static TransactionReceipt send(RemoteFunctionCall<TransactionReceipt> call) {
    return ChainClient.rpc(call::send);
  }

  static <T> T call(RemoteFunctionCall<T> call) {
    return ChainClient.rpc(call::send);
  }
}
