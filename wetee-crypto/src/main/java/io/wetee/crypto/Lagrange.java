package io.wetee.crypto;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;

/**
 * Lagrange interpolation at x = 0 over Z_n, on scalars and "in the exponent" on points (Shamir
 * 1979; Feldman 1987 §3). Evaluation points are participant indices in [1, 65535]. The coefficients
 * are public; arithmetic is variable-time.
 */
public final class Lagrange {
  /** Largest participant index; indices travel as uint16. */
  public static final int MAX_INDEX = 0xFFFF;

  private Lagrange() {}

  /**
   * {@code λ_i = Π_{j in S, j != i} j / (j - i) mod n} for every i in S.
   *
   * @throws InvalidInputException with {@link Reason#VALUE_OUT_OF_RANGE} for an index outside [1,
   *     65535], {@link Reason#DUPLICATE} for a repeated index, or {@link Reason#INVALID_ARGUMENT}
   *     for an empty set
   */
  public static Map<Integer, Scalar> coefficientsAtZero(Collection<Integer> indices) {
    return coefficientsAt(0, indices);
  }

  /** {@code λ_i(x) = Π_{j in S, j != i} (x - j) / (i - j) mod n}; same checks as at zero. */
  public static Map<Integer, Scalar> coefficientsAt(int x, Collection<Integer> indices) {
    List<Integer> set = distinct(indices);
    Map<Integer, Scalar> out = new TreeMap<>();
    for (int i : set) {
      Scalar num = Scalar.ONE;
      Scalar den = Scalar.ONE;
      for (int j : set) {
        if (j != i) {
          num = num.multiply(Scalar.of((long) x - j));
          den = den.multiply(Scalar.of((long) i - j));
        }
      }
      out.put(i, num.multiply(den.inverse()));
    }
    return out;
  }

  /** {@code f(0) = Σ λ_i f(i)} from shares keyed by index. */
  public static Scalar interpolateAtZero(Map<Integer, Scalar> shares) {
    Map<Integer, Scalar> lambda = coefficientsAtZero(shares.keySet());
    Scalar acc = Scalar.ZERO;
    for (Map.Entry<Integer, Scalar> e : shares.entrySet()) {
      acc = acc.add(lambda.get(e.getKey()).multiply(e.getValue()));
    }
    return acc;
  }

  /**
   * {@code f(0)*P = Σ λ_i (f(i)*P)} from points keyed by index, as one multi-scalar multiplication
   * (public scalars and points: BouncyCastle's interleaved GLV/wNAF).
   */
  public static Point interpolateInExponent(Map<Integer, Point> points) {
    return combineInExponent(coefficientsAtZero(points.keySet()), points);
  }

  /** {@code Σ λ_i P_i} for coefficients already computed over exactly the points' indices. */
  static Point combineInExponent(Map<Integer, Scalar> lambda, Map<Integer, Point> points) {
    List<ECPoint> ps = new ArrayList<>(points.size());
    List<BigInteger> ks = new ArrayList<>(points.size());
    for (Map.Entry<Integer, Point> e : points.entrySet()) {
      if (!e.getValue().isInfinity()) { // contributes nothing
        ps.add(e.getValue().ec());
        ks.add(lambda.get(e.getKey()).value());
      }
    }
    if (ps.isEmpty()) {
      return Point.infinity();
    }
    return Point.of(
        ECAlgorithms.sumOfMultiplies(ps.toArray(new ECPoint[0]), ks.toArray(new BigInteger[0])));
  }

  static int requireIndex(int index) {
    if (index < 1 || index > MAX_INDEX) {
      throw new InvalidInputException(
          Reason.VALUE_OUT_OF_RANGE, "participant index must be in [1, 65535]: " + index);
    }
    return index;
  }

  private static List<Integer> distinct(Collection<Integer> indices) {
    if (indices.isEmpty()) {
      throw new InvalidInputException(Reason.INVALID_ARGUMENT, "no indices to interpolate");
    }
    List<Integer> list = indices.stream().map(Lagrange::requireIndex).sorted().toList();
    for (int k = 1; k < list.size(); k++) {
      if (list.get(k).equals(list.get(k - 1))) {
        throw new InvalidInputException(Reason.DUPLICATE, "index repeated: " + list.get(k));
      }
    }
    return list;
  }
}
