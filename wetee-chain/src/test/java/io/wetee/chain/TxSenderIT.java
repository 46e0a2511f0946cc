package io.wetee.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

@ExtendWith(HardhatExtension.class)
class TxSenderIT {
  @Test
  void twentyConcurrentSendersFromOneAccountAllLand(Deployment d) throws Exception {
    Credentials account = Credentials.create(d.account(2).privateKey());
    try (ChainClient client = ChainClient.connect(d, Optional.of(account));
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      BigInteger nonceBefore = nonce(client, account.getAddress());
      List<String> recipients = new ArrayList<>();
      List<Future<TransactionReceipt>> sends = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        String to = "0x" + Keys.getAddress(Keys.createEcKeyPair().getPublicKey());
        BigInteger amount = BigInteger.valueOf(1000L + i);
        recipients.add(to);
        sends.add(pool.submit(() -> client.sender().send(to, "0x", amount)));
      }
      Set<String> hashes = new HashSet<>();
      for (Future<TransactionReceipt> f : sends) {
        TransactionReceipt r = f.get();
        assertThat(r.isStatusOK()).isTrue();
        hashes.add(r.getTransactionHash());
      }
      assertThat(hashes).hasSize(20);
      assertThat(nonce(client, account.getAddress()))
          .isEqualTo(nonceBefore.add(BigInteger.valueOf(20)));
      for (int i = 0; i < 20; i++) {
        assertThat(client.balance(recipients.get(i))).isEqualTo(BigInteger.valueOf(1000L + i));
      }
    }
  }

  @Test
  void resynchronisesWhenAnotherProcessUsedTheNonce(Deployment d) {
    Credentials account = Credentials.create(d.account(3).privateKey());
    try (ChainClient first = ChainClient.connect(d, Optional.of(account));
        ChainClient second = ChainClient.connect(d, Optional.of(account))) {
      first.sender().send(Addresses.ZERO, "0x", BigInteger.ONE);
      second.sender().send(Addresses.ZERO, "0x", BigInteger.ONE); // second learns nonce n+1
      TransactionReceipt r = first.sender().send(Addresses.ZERO, "0x", BigInteger.ONE);
      assertThat(r.isStatusOK()).isTrue();
    }
  }

  @Test
  void aDroppedAnswerIsRetriedWithTheSameBytesAndTheTransferLandsOnce(
      Deployment d, HardhatNode node) throws Exception {
    Credentials account = Credentials.create(d.account(7).privateKey());
    try (FlakyRpcProxy proxy = new FlakyRpcProxy(node.rpcUrl());
        ChainClient client =
            ChainClient.connect(
                new Deployment(
                    d.chainId(), proxy.url(), d.deployBlock(), d.contracts(), d.accounts()),
                Optional.of(account))) {
      BigInteger before = nonce(client, account.getAddress());
      String to = "0x" + Keys.getAddress(Keys.createEcKeyPair().getPublicKey());
      proxy.dropNext("eth_sendRawTransaction", 1);
      TransactionReceipt r = client.sender().send(to, "0x", BigInteger.valueOf(777));
      assertThat(proxy.dropped.get()).isEqualTo(1);
      assertThat(r.isStatusOK()).isTrue();
      assertThat(client.balance(to)).isEqualTo(BigInteger.valueOf(777));
      assertThat(nonce(client, account.getAddress())).isEqualTo(before.add(BigInteger.ONE));
    }
  }

  @Test
  void aRevertIsDecodedBeforeAnythingIsSigned(Deployment d) throws Exception {
    Credentials account = Credentials.create(d.account(8).privateKey());
    try (ChainClient client = ChainClient.connect(d, Optional.of(account))) {
      BigInteger before = nonce(client, account.getAddress());
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.cloud().stop(42))
          .isInstanceOf(ContractRevertedException.class)
          .hasMessage("Cloud.UnknownWorkload(workloadId=42)");
      assertThat(nonce(client, account.getAddress())).isEqualTo(before);
    }
  }

  private static BigInteger nonce(ChainClient client, String address) throws Exception {
    return client
        .web3j()
        .ethGetTransactionCount(address, DefaultBlockParameterName.LATEST)
        .send()
        .getTransactionCount();
  }
}
