package io.wetee.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;

/** The fixed-window multiplier for secret scalars against the reference multiplications. */
class CurveTest {
  @Provide
  Arbitrary<BigInteger> anyScalar() {
    return Arbitraries.bigIntegers()
        .between(BigInteger.ZERO, Curve.N.subtract(BigInteger.ONE))
        .edgeCases(
            c -> c.includeOnly(BigInteger.ZERO, BigInteger.ONE, Curve.N.subtract(BigInteger.ONE)));
  }

  /** A random point: the generator times a random non-zero scalar (any finite point is one). */
  @Provide
  Arbitrary<ECPoint> anyPoint() {
    return Arbitraries.bigIntegers()
        .between(BigInteger.ONE, Curve.N.subtract(BigInteger.ONE))
        .map(m -> Curve.G.multiply(m).normalize());
  }

  @Property(tries = 200)
  void windowEqualsTheVariableTimeMultiplicationAndTheLadder(
      @ForAll("anyScalar") BigInteger k, @ForAll("anyPoint") ECPoint p) {
    ECPoint expected = p.multiply(k).normalize();
    assertThat(Curve.mulSecret(p, k)).isEqualTo(expected);
    assertThat(Curve.mulWindow(p, k)).isEqualTo(expected);
    assertThat(Curve.ladder(p, k)).isEqualTo(expected);
  }

  @Property(tries = 50)
  void windowOnTheGeneratorEqualsTheComb(@ForAll("anyScalar") BigInteger k) {
    assertThat(Curve.mulSecret(Curve.G, k)).isEqualTo(Curve.mulGeneratorComb(k));
  }

  @Property(tries = 200)
  void generatorWindowsEqualTheComb(@ForAll("anyScalar") BigInteger k) {
    assertThat(Curve.mulGenerator(k)).isEqualTo(Curve.mulGeneratorComb(k));
  }

  @Test
  void generatorWindowsHandleTheScalarsWhereTheLastAdditionsMeetEqualOrOppositePoints() {
    BigInteger two256 = BigInteger.ONE.shiftLeft(256).mod(Curve.N);
    BigInteger two257 = BigInteger.ONE.shiftLeft(257).mod(Curve.N);
    BigInteger[] bases = {
      BigInteger.ZERO, two256, two257, Curve.N.subtract(two256), Curve.N.subtract(two257)
    };
    for (BigInteger base : bases) {
      for (int d = -40; d <= 40; d++) {
        BigInteger k = base.add(BigInteger.valueOf(d)).mod(Curve.N);
        assertThat(Curve.mulGenerator(k))
            .as("k = %s", k.toString(16))
            .isEqualTo(Curve.G.multiply(k).normalize());
      }
    }
    assertThat(Curve.mulGenerator(BigInteger.ZERO).isInfinity()).isTrue();
  }

  @Test
  void windowHandlesEdgeScalarsIncludingTheIncompleteFormulaCases() {
    ECPoint p = Curve.G.multiply(BigInteger.valueOf(987654321)).normalize();
    assertThat(Curve.mulSecret(p, BigInteger.ZERO).isInfinity()).isTrue();
    assertThat(Curve.mulSecret(p, BigInteger.ONE)).isEqualTo(p);
    assertThat(Curve.mulSecret(p, Curve.N.subtract(BigInteger.ONE))).isEqualTo(p.negate());
    // |k| <= 40 covers every k = 2*d_0 (mod n) where the last addition meets equal points.
    for (int k = -40; k <= 40; k++) {
      BigInteger s = BigInteger.valueOf(k).mod(Curve.N);
      assertThat(Curve.mulSecret(p, s)).as("k = %d", k).isEqualTo(p.multiply(s).normalize());
    }
    assertThat(Curve.mulSecret(Curve.CURVE.getInfinity(), BigInteger.TEN).isInfinity()).isTrue();
  }

  /** lambda, the eigenvalue of the endomorphism: {@code lambda*G = (beta*x(G), y(G))}. */
  static final BigInteger LAMBDA =
      new BigInteger("5363ad4cc05c30e0a5261c028812645a122e22ea20816678df02967c1b23bd72", 16);

  @Test
  void glvHandlesScalarsAtTheEdgesOfTheDecomposition() {
    ECPoint p = Curve.G.multiply(BigInteger.valueOf(123456789)).normalize();
    assertThat(Curve.G.multiply(LAMBDA).normalize().getAffineYCoord())
        .isEqualTo(Curve.G.getAffineYCoord()); // LAMBDA is the right eigenvalue
    BigInteger two128 = BigInteger.ONE.shiftLeft(128);
    BigInteger[] bases = {
      BigInteger.ZERO,
      LAMBDA,
      Curve.N.subtract(LAMBDA),
      two128,
      Curve.N.shiftRight(1),
      Curve.N.shiftRight(1).add(BigInteger.ONE),
      Curve.N.subtract(two128),
      LAMBDA.multiply(two128).mod(Curve.N),
      Curve.P.mod(Curve.N)
    };
    for (BigInteger base : bases) {
      for (int d = -3; d <= 3; d++) {
        BigInteger k = base.add(BigInteger.valueOf(d)).mod(Curve.N);
        ECPoint expected = Curve.ladder(p, k);
        assertThat(Curve.mulSecret(p, k)).as("k = %s", k.toString(16)).isEqualTo(expected);
        assertThat(expected).isEqualTo(p.multiply(k).normalize());
      }
    }
    // Both halves even, odd, negative and positive: small a and b with k = a + b*lambda.
    for (int a = -3; a <= 3; a++) {
      for (int b = -3; b <= 3; b++) {
        BigInteger k =
            BigInteger.valueOf(a).add(BigInteger.valueOf(b).multiply(LAMBDA)).mod(Curve.N);
        assertThat(Curve.mulSecret(p, k))
            .as("a = %d, b = %d", a, b)
            .isEqualTo(p.multiply(k).normalize());
      }
    }
  }

  @Test
  void oddRepresentativeIsOddCongruentAndBelow2To257() {
    for (BigInteger k :
        new BigInteger[] {
          BigInteger.ZERO, BigInteger.ONE, BigInteger.TWO, Curve.N.subtract(BigInteger.ONE)
        }) {
      BigInteger r = new BigInteger(1, Curve.oddRepresentative(k));
      assertThat(r.testBit(0)).isTrue();
      assertThat(r.mod(Curve.N)).isEqualTo(k);
      assertThat(r.bitLength()).isLessThanOrEqualTo(257);
    }
    assertThat(new BigInteger(1, Curve.oddRepresentative(BigInteger.TWO)))
        .isEqualTo(Curve.N.add(BigInteger.TWO));
  }

  @Property(tries = 25)
  void aSharedTableGivesTheSameProductsAsFreshOnes(
      @ForAll("anyScalar") BigInteger a, @ForAll("anyScalar") BigInteger b) {
    ECPoint p = Curve.G.multiply(BigInteger.valueOf(424242)).normalize();
    Curve.OddMultiples t = Curve.OddMultiples.of(p);
    assertThat(Curve.mulSecret(t, a)).isEqualTo(p.multiply(a).normalize());
    assertThat(Curve.mulSecret(t, b)).isEqualTo(p.multiply(b).normalize());
  }
}
