package io.wetee.chain;

import java.io.IOException;
import java.math.BigInteger;
import java.util.Optional;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.response.EthGetCode;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.response.TransactionReceiptProcessor;

/**
 * Routes the generated wrappers' transactions through {@link TxSender} and their calls through
 * {@link RpcCaller}: the gas price and limit the wrappers pass are ignored (the sender estimates
 * and prices), and receipts come back with decoded reverts. Thread-safe because the sender is.
 */
final class SenderTransactionManager extends TransactionManager {
  private final Optional<TxSender> sender;
  private final RpcCaller rpc;
  private final Web3j web3j;

  SenderTransactionManager(Web3j web3j, Optional<TxSender> sender, RpcCaller rpc) {
    super(new SenderReceipts(web3j, sender), sender.map(TxSender::address).orElse(Addresses.ZERO));
    this.sender = sender;
    this.rpc = rpc;
    this.web3j = web3j;
  }

  private TxSender sender() {
    return sender.orElseThrow(
        () -> new ChainException("no key given: pass --key-file, WETEE_PRIVATE_KEY or --account"));
  }

  @Override
  public EthSendTransaction sendTransaction(
      BigInteger gasPrice,
      BigInteger gasLimit,
      String to,
      String data,
      BigInteger value,
      boolean constructor) {
    EthSendTransaction response = new EthSendTransaction();
    response.setResult(sender().submit(to, data, value));
    return response;
  }

  @Override
  public EthSendTransaction sendEIP1559Transaction(
      long chainId,
      BigInteger maxPriorityFeePerGas,
      BigInteger maxFeePerGas,
      BigInteger gasLimit,
      String to,
      String data,
      BigInteger value,
      boolean constructor) {
    return sendTransaction(maxFeePerGas, gasLimit, to, data, value, constructor);
  }

  @Override
  public String sendCall(String to, String data, DefaultBlockParameter block) {
    return rpc.call(getFromAddress(), to, data, BigInteger.ZERO, block);
  }

  @Override
  public EthGetCode getCode(String contractAddress, DefaultBlockParameter block)
      throws IOException {
    return web3j.ethGetCode(contractAddress, block).send();
  }

  private static final class SenderReceipts extends TransactionReceiptProcessor {
    private final Optional<TxSender> sender;

    SenderReceipts(Web3j web3j, Optional<TxSender> sender) {
      super(web3j);
      this.sender = sender;
    }

    @Override
    public TransactionReceipt waitForTransactionReceipt(String hash) {
      return sender.orElseThrow().waitForReceipt(hash);
    }
  }
}
