package io.wetee.secretnode;

import io.wetee.chain.ChainClient;
import io.wetee.chain.ChainException;
import io.wetee.chain.contracts.Committee;
import io.wetee.crypto.CommitteeKey;
import io.wetee.crypto.Point;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.web3j.protocol.core.RemoteFunctionCall;

/** Reads committee keys from the Committee contract. Stateless and thread-safe. */
public final class CommitteeKeys {
  private CommitteeKeys() {}

  /**
   * An epoch's confirmed key with its members.
   *
   * @param epoch the epoch
   * @param members member addresses in committee order
   * @param key group key, threshold and verification keys by index
   */
  public record EpochPublicKey(long epoch, List<String> members, CommitteeKey key) {}

  /** The active (latest confirmed) epoch's key, if any DKG completed. */
  public static Optional<EpochPublicKey> active(ChainClient chain) {
    long epoch = call(chain.committee().contract().activeEpoch()).longValueExact();
    return epoch == 0 ? Optional.empty() : of(chain, epoch);
  }

  /** The key of {@code epoch}, if its DKG completed. */
  public static Optional<EpochPublicKey> of(ChainClient chain, long epoch) {
    var t = call(chain.committee().contract().keyOf(BigInteger.valueOf(epoch)));
    if (t.component1().length == 0) {
      return Optional.empty();
    }
    byte[] blob = t.component2();
    Map<Integer, Point> vks = new TreeMap<>();
    for (int i = 0; i < blob.length / 33; i++) {
      vks.put(i + 1, Point.decode(Arrays.copyOfRange(blob, 33 * i, 33 * i + 33)));
    }
    CommitteeKey key =
        new CommitteeKey(Point.decode(t.component1()), t.component3().intValueExact(), vks);
    return Optional.of(new EpochPublicKey(epoch, members(chain, epoch), key));
  }

  /** Members of an epoch in committee order. */
  public static List<String> members(ChainClient chain, long epoch) {
    List<?> raw = call(chain.committee().contract().members(BigInteger.valueOf(epoch)));
    return raw.stream().map(Object::toString).toList();
  }

  static <T> T call(RemoteFunctionCall<T> c) {
    try {
      return c.send();
    } catch (ChainException e) {
      throw e;
    } catch (Exception e) {
      throw new ChainException("Committee call failed: " + e.getMessage(), e);
    }
  }

  /** The round of an epoch as the contract reports it. */
  static Committee.DkgRound round(ChainClient chain, long epoch) {
    return call(chain.committee().contract().dkgRound(BigInteger.valueOf(epoch)));
  }
}
