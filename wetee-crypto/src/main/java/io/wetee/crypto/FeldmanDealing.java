package io.wetee.crypto;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The output of {@link Feldman#deal}: public commitments and the secret shares by index.
 *
 * @param commitments {@code C_0 .. C_{t-1}}; {@code C_0 = secret*G}
 * @param shares {@code f(i)} by participant index i, in ascending order
 */
public record FeldmanDealing(List<Point> commitments, Map<Integer, Scalar> shares) {
  public FeldmanDealing {
    commitments = List.copyOf(commitments);
    shares = java.util.Collections.unmodifiableMap(new TreeMap<>(shares));
  }

  /** The share of one participant as a {@link KeyShare}. */
  public KeyShare share(int index) {
    Scalar s = shares.get(index);
    if (s == null) {
      throw new CryptoException("no share for index " + index);
    }
    return new KeyShare(index, s);
  }

  @Override
  public String toString() {
    return "FeldmanDealing[threshold=" + commitments.size() + ", shares=" + shares.keySet() + "]";
  }
}
