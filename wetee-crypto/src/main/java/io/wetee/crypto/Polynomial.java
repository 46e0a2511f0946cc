package io.wetee.crypto;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * A secret polynomial {@code f(x) = a_0 + a_1 x + ... + a_{t-1} x^{t-1}} over Z_n and its Feldman
 * commitments {@code C_k = a_k*G}. Holds secrets: never logged, never exposed outside the package.
 */
final class Polynomial {
  private final List<Scalar> coefficients;

  private Polynomial(List<Scalar> coefficients) {
    this.coefficients = List.copyOf(coefficients);
  }

  /** Degree {@code threshold - 1}, constant term {@code secret}, other coefficients random. */
  static Polynomial random(Scalar secret, int threshold, SecureRandom random) {
    if (threshold < 1) {
      throw new CryptoException("threshold must be at least 1: " + threshold);
    }
    List<Scalar> c = new ArrayList<>(threshold);
    c.add(secret);
    for (int k = 1; k < threshold; k++) {
      c.add(Scalar.random(random));
    }
    return new Polynomial(c);
  }

  /** f(x) by Horner's rule. */
  Scalar evaluate(int x) {
    Scalar sx = Scalar.of(x);
    Scalar acc = Scalar.ZERO;
    for (int k = coefficients.size() - 1; k >= 0; k--) {
      acc = acc.multiply(sx).add(coefficients.get(k));
    }
    return acc;
  }

  /** {@code C_k = a_k*G}, by the fixed-point comb since the coefficients are secret. */
  List<Point> commitments() {
    return coefficients.stream().map(Point::fromSecret).toList();
  }

  @Override
  public String toString() {
    return "Polynomial[degree=" + (coefficients.size() - 1) + ", coefficients=redacted]";
  }
}
