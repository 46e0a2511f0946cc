package io.wetee.secretnode;

import io.wetee.common.Hex;
import io.wetee.common.Json;
import io.wetee.crypto.CommitteeKey;
import io.wetee.crypto.KeyShare;
import io.wetee.crypto.Point;
import io.wetee.crypto.PrivateKey;
import io.wetee.crypto.Scalar;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Everything a node must keep across restarts, kept only in the {@link SealedStore}: its account
 * (signing) key, its DKG encryption key (two distinct keys), the key share of each epoch it holds,
 * and the seeds of the DKG runs it takes part in (so a node restarted mid-run deals and reveals
 * exactly as before). Every change is written through at once. Thread-safe.
 */
final class NodeKeys {
  /** The sealed JSON document. */
  record State(
      String account,
      String encryptionKey,
      List<StoredEpoch> epochs,
      Map<String, String> dkgSeeds) {
    State {
      epochs = epochs == null ? List.of() : List.copyOf(epochs);
      dkgSeeds = dkgSeeds == null ? Map.of() : Map.copyOf(dkgSeeds);
    }

    @Override
    public String toString() {
      return "State[redacted]";
    }
  }

  /** One epoch's key material; {@code share} is hex and absent for a non-member. */
  record StoredEpoch(
      long epoch,
      List<String> members,
      String groupKey,
      int threshold,
      Map<Integer, String> verificationKeys,
      Integer index,
      String share) {
    @Override
    public String toString() {
      return "StoredEpoch[" + epoch + "]";
    }
  }

  private final SealedStore store;
  private final PrivateKey account;
  private final PrivateKey encryption;
  private final Map<Long, EpochKey> epochs = new TreeMap<>();
  private final Map<String, String> seeds = new LinkedHashMap<>();

  private NodeKeys(SealedStore store, State s) {
    this.store = store;
    this.account = PrivateKey.fromHex(s.account());
    this.encryption = PrivateKey.fromHex(s.encryptionKey());
    s.epochs().forEach(e -> epochs.put(e.epoch(), toKey(e)));
    seeds.putAll(s.dkgSeeds());
  }

  /**
   * Opens the sealed state, creating it on first start with the imported account key (or a fresh
   * one) and a fresh encryption key.
   */
  static NodeKeys open(
      SealedStore store, Supplier<Optional<PrivateKey>> importAccount, SecureRandom rnd) {
    Optional<byte[]> plain = store.read();
    if (plain.isPresent()) {
      byte[] bytes = plain.get();
      try {
        return new NodeKeys(store, Json.strict().readValue(bytes, State.class));
      } catch (IOException e) {
        throw new SecretNodeException("sealed state is not readable: " + e.getMessage(), e);
      } finally {
        Arrays.fill(bytes, (byte) 0);
      }
    }
    PrivateKey acct = importAccount.get().orElseGet(() -> PrivateKey.generate(rnd));
    PrivateKey enc = PrivateKey.generate(rnd);
    State s = new State(hex(acct), hex(enc), List.of(), Map.of());
    NodeKeys keys = new NodeKeys(store, s);
    keys.save();
    return keys;
  }

  PrivateKey account() {
    return account;
  }

  PrivateKey encryptionKey() {
    return encryption;
  }

  synchronized Optional<EpochKey> latest() {
    return epochs.isEmpty()
        ? Optional.empty()
        : Optional.of(((TreeMap<Long, EpochKey>) epochs).lastEntry().getValue());
  }

  synchronized Optional<EpochKey> epoch(long epoch) {
    return Optional.ofNullable(epochs.get(epoch));
  }

  /** Records an epoch's key material (idempotent). */
  synchronized void saveEpoch(EpochKey key) {
    epochs.put(key.epoch(), key);
    save();
  }

  /** The seed of a DKG run, made and sealed on first use. */
  synchronized byte[] dkgSeed(String sessionId, SecureRandom rnd) {
    String hex = seeds.get(sessionId);
    if (hex == null) {
      byte[] seed = new byte[32];
      rnd.nextBytes(seed);
      hex = Hex.encode(seed);
      seeds.put(sessionId, hex);
      save();
    }
    return Hex.decode(hex);
  }

  private void save() {
    List<StoredEpoch> stored = epochs.values().stream().map(NodeKeys::toStored).toList();
    State s = new State(hex(account), hex(encryption), stored, seeds);
    try {
      byte[] json = Json.strict().writeValueAsBytes(s);
      store.write(json);
      Arrays.fill(json, (byte) 0);
    } catch (IOException e) {
      throw new SecretNodeException("cannot encode sealed state", e);
    }
  }

  private static String hex(PrivateKey k) {
    return Hex.encode(k.encode());
  }

  private static StoredEpoch toStored(EpochKey k) {
    Map<Integer, String> vks = new TreeMap<>();
    k.key().verificationKeys().forEach((i, p) -> vks.put(i, Hex.encode(p.encode())));
    return new StoredEpoch(
        k.epoch(),
        k.members(),
        Hex.encode(k.key().groupKey().encode()),
        k.key().threshold(),
        vks,
        k.share().map(KeyShare::index).orElse(null),
        k.share().map(s -> Hex.encode(s.value().encode())).orElse(null));
  }

  private static EpochKey toKey(StoredEpoch s) {
    Map<Integer, Point> vks = new TreeMap<>();
    s.verificationKeys().forEach((i, h) -> vks.put(i, Point.decode(Hex.decode(h))));
    CommitteeKey key = new CommitteeKey(Point.decode(Hex.decode(s.groupKey())), s.threshold(), vks);
    Optional<KeyShare> share =
        s.share() == null
            ? Optional.empty()
            : Optional.of(new KeyShare(s.index(), Scalar.decode(Hex.decode(s.share()))));
    return new EpochKey(s.epoch(), s.members(), key, share);
  }
}
