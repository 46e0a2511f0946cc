package io.wetee.crypto;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The public side of a committee's threshold key: group key {@code PK = s*G}, the threshold q
 * (shares needed) and every member's verification key {@code PK_j = s_j*G}. What the chain
 * publishes and what an agent needs to verify decryption shares.
 *
 * @param groupKey PK
 * @param threshold q, the number of shares that reconstruct
 * @param verificationKeys PK_j by member index, ascending
 */
public record CommitteeKey(Point groupKey, int threshold, Map<Integer, Point> verificationKeys) {
  public CommitteeKey {
    Objects.requireNonNull(groupKey, "groupKey");
    if (groupKey.isInfinity()) {
      throw new InvalidInputException(Reason.POINT_AT_INFINITY, "group key is infinity");
    }
    if (threshold < 1 || threshold > verificationKeys.size()) {
      throw new InvalidInputException(
          Reason.INVALID_ARGUMENT, "threshold " + threshold + " for " + verificationKeys.size());
    }
    verificationKeys.keySet().forEach(Lagrange::requireIndex);
    verificationKeys = Collections.unmodifiableMap(new TreeMap<>(verificationKeys));
  }

  public Optional<Point> verificationKey(int index) {
    return Optional.ofNullable(verificationKeys.get(index));
  }

  /**
   * Whether all verification keys lie on one polynomial of degree {@code threshold - 1} whose value
   * at 0 is the group key: interpolates from the first q keys and checks the rest and PK.
   */
  public boolean isConsistent() {
    List<Integer> indices = new ArrayList<>(verificationKeys.keySet());
    List<Integer> base = indices.subList(0, threshold);
    if (!interpolate(0, base).equals(groupKey)) {
      return false;
    }
    for (int j : indices.subList(threshold, indices.size())) {
      if (!interpolate(j, base).equals(verificationKeys.get(j))) {
        return false;
      }
    }
    return true;
  }

  private Point interpolate(int x, List<Integer> base) {
    Map<Integer, Scalar> lambda = Lagrange.coefficientsAt(x, base);
    Point acc = Point.infinity();
    for (int i : base) {
      acc = acc.add(verificationKeys.get(i).multiply(lambda.get(i)));
    }
    return acc;
  }
}
