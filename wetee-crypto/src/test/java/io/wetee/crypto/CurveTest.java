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
    assertThat(Curve.ladder(p, k)).isEqualTo(expected);
  }

  @Property(tries = 50)
  void windowOnTheGeneratorEqualsTheComb(@ForAll("anyScalar") BigInteger k) {
    assertThat(Curve.mulSecret(Curve.G, k)).isEqualTo(Curve.mulGenerator(k));
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
