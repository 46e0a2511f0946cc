package io.wetee.chain;

import io.wetee.attestation.TeeType;
import io.wetee.chain.CommitteeClient.SignedBy;
import io.wetee.crypto.Address;
import io.wetee.crypto.Bytes32;
import io.wetee.crypto.EthSignature;
import io.wetee.crypto.Keccak;
import io.wetee.crypto.PrivateKey;
import io.wetee.crypto.RunResult;
import io.wetee.crypto.SettleProof;
import io.wetee.crypto.Verdict;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * A small network on the shared Hardhat node for flow tests: admin (account 0), a committee of four
 * members (accounts 11 to 14, quorum 3), a staked worker (account 1) and a workload owner (account
 * 2), each with its own {@link ChainClient}; plus the signing an instance and the committee would
 * do. Close it to release the clients.
 */
final class Network implements AutoCloseable {
  static final BigInteger ETH = BigInteger.TEN.pow(18);

  final Deployment d;
  final ChainClient admin;
  final ChainClient worker;
  final ChainClient owner;
  final ChainClient stranger;
  final List<PrivateKey> members = new ArrayList<>();
  final long workerId;
  final BigInteger chainId;

  Network(Deployment d) {
    this.d = d;
    this.chainId = BigInteger.valueOf(d.chainId());
    admin = client(d, 0);
    worker = client(d, 1);
    owner = client(d, 2);
    stranger = client(d, 3);
    List<String> addresses = new ArrayList<>();
    for (int i = 11; i <= 14; i++) {
      PrivateKey k = PrivateKey.fromHex(d.account(i).privateKey());
      members.add(k);
      addresses.add(k.address().toString());
    }
    admin.committee().setEpoch(admin.committee().current().epoch() + 1, addresses, 3);
    workerId =
        worker
            .subnet()
            .registerWorker(
                new WorkerSpec(
                    "w",
                    "http://127.0.0.1:7000",
                    0,
                    0,
                    Set.of(TeeType.SIMULATED, TeeType.TDX),
                    new Resources(4000, 8192, 100, 0)));
    worker.subnet().stakeWorker(workerId, ETH);
  }

  static ChainClient client(Deployment d, int account) {
    return ChainClient.connect(d, Optional.of(Credentials.create(d.account(account).privateKey())));
  }

  long createService(BigInteger deposit) {
    return owner.cloud().create(service(deposit, "{\"name\":\"svc\"}"));
  }

  CreateWorkload service(BigInteger deposit, String spec) {
    return new CreateWorkload(
        workerId,
        WorkloadKind.SERVICE,
        Set.of(TeeType.SIMULATED),
        false,
        0,
        0,
        new Resources(500, 256, 1, 0),
        BigInteger.ZERO,
        0,
        spec.getBytes(StandardCharsets.UTF_8),
        deposit);
  }

  /** A verdict for the instance, valid for an hour from the chain's current time. */
  Verdict verdict(long workloadId, long version, PrivateKey instance) {
    long now = chainTime();
    return new Verdict(
        workloadId,
        version,
        instance.address(),
        TeeType.SIMULATED.code(),
        Bytes32.of(Keccak.keccak256("spec".getBytes(StandardCharsets.UTF_8))),
        0,
        now,
        now + 3600);
  }

  /** The signatures of the first {@code count} committee members. */
  List<SignedBy> sign(Verdict v, int count) {
    Address committee = Address.fromHex(d.address("Committee"));
    List<SignedBy> sigs = new ArrayList<>();
    for (PrivateKey m : members.subList(0, count)) {
      sigs.add(new SignedBy(m.address().toString(), v.sign(m, chainId, committee)));
    }
    return sigs;
  }

  PrivateKey start(long workloadId, long version) {
    PrivateKey instance = PrivateKey.generate(new SecureRandom());
    Verdict v = verdict(workloadId, version, instance);
    worker.cloud().start(workloadId, version, instance.address().toString(), v, sign(v, 3));
    return instance;
  }

  EthSignature signProof(SettleProof p, PrivateKey instance) {
    return p.sign(instance, chainId, Address.fromHex(d.address("Cloud")));
  }

  EthSignature signRun(RunResult r, PrivateKey instance) {
    return r.sign(instance, chainId, Address.fromHex(d.address("Cloud")));
  }

  SettleProof proof(long workloadId, long version, long from, long to) {
    return new SettleProof(workloadId, version, from, to, Bytes32.ZERO, Bytes32.ZERO);
  }

  long chainTime() {
    return ChainClient.rpc(
            () ->
                owner
                    .web3j()
                    .ethGetBlockByNumber(
                        org.web3j.protocol.core.DefaultBlockParameterName.LATEST, false)
                    .send())
        .getBlock()
        .getTimestamp()
        .longValueExact();
  }

  static BigInteger gasCost(TransactionReceipt r) {
    return r.getGasUsed().multiply(new BigInteger(r.getEffectiveGasPrice().substring(2), 16));
  }

  @Override
  public void close() {
    for (ChainClient c : List.of(admin, worker, owner, stranger)) {
      c.close();
    }
  }
}
