package io.wetee.chain;

import io.wetee.chain.contracts.Committee;
import io.wetee.crypto.EthSignature;
import io.wetee.crypto.Verdict;
import java.util.Comparator;
import java.util.List;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.gas.ContractGasProvider;

/**
 * Typed access to the Committee contract: epochs, members, quorum, and verdict verification.
 * Thread-safe.
 */
public final class CommitteeClient {
  private final Committee contract;

  CommitteeClient(
      ChainClient chain,
      String address,
      Web3j web3j,
      TransactionManager tm,
      ContractGasProvider gas) {
    this.contract = Committee.load(address, web3j, tm, gas);
  }

  /** The generated wrapper, for event decoding. */
  public Committee contract() {
    return contract;
  }

  /** Admin: sets the member set and quorum of the next epoch (which must be current + 1). */
  public TransactionReceipt setEpoch(long epoch, List<String> members, int quorum) {
    return Tx.send(contract.setEpoch(SubnetClient.big(epoch), members, SubnetClient.big(quorum)));
  }

  /** The current epoch, members and quorum. */
  public CommitteeInfo current() {
    var t = Tx.call(contract.currentCommittee());
    return new CommitteeInfo(
        t.component1().longValueExact(), t.component2(), t.component3().intValueExact());
  }

  /** The members of an epoch. */
  @SuppressWarnings("unchecked")
  public List<String> members(long epoch) {
    return (List<String>) Tx.call(contract.members(SubnetClient.big(epoch)));
  }

  public boolean isMember(long epoch, String account) {
    return Tx.call(contract.isMember(SubnetClient.big(epoch), account));
  }

  /** Starts handing the admin role to {@code newOwner} (e.g. a timelock), which must accept. */
  public TransactionReceipt transferAdmin(String newOwner) {
    return Tx.send(contract.transferOwnership(newOwner));
  }

  public TransactionReceipt acceptAdmin() {
    return Tx.send(contract.acceptOwnership());
  }

  public String admin() {
    return Tx.call(contract.owner());
  }

  /**
   * Whether the contract accepts these signatures over the verdict (ordered by signer as the
   * contract requires); reverts name the reason, e.g. {@code NotEnoughSignatures}.
   */
  public boolean verify(Verdict verdict, List<SignedBy> signatures) {
    return Tx.call(contract.verify(Structs.committeeVerdict(verdict), Structs.sorted(signatures)));
  }

  /** A signature and the address that made it, so lists can be put in the contract's order. */
  public record SignedBy(String signer, EthSignature signature) {
    static final Comparator<SignedBy> BY_SIGNER =
        Comparator.comparing(s -> Addresses.normalize(s.signer()));
  }
}
