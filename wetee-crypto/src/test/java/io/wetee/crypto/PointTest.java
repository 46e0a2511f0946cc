package io.wetee.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wetee.common.Hex;
import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class PointTest {
  static final String G_COMPRESSED =
      "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";

  @Provide
  Arbitrary<Scalar> scalars() {
    return Arbitraries.bigIntegers()
        .between(BigInteger.ONE, Scalar.ORDER.subtract(BigInteger.ONE))
        .edgeCases(c -> c.includeOnly(BigInteger.ONE, Scalar.ORDER.subtract(BigInteger.ONE)))
        .map(Scalar::new);
  }

  @Test
  void generatorEncodesToTheSec2CompressedForm() {
    assertThat(Hex.encode(Point.generator().encode())).isEqualTo(G_COMPRESSED);
    assertThat(Point.fromSecret(Scalar.ONE)).isEqualTo(Point.generator());
  }

  @Test
  void knownMultipleOfTheGeneratorMatchesSec2() {
    // 2G from SEC 2 / libsecp256k1 test data.
    assertThat(Hex.encode(Point.fromSecret(Scalar.of(2)).encode()))
        .isEqualTo("02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5");
  }

  @Property(tries = 25)
  void ladderCombAndVariableTimeMultiplicationAgree(
      @ForAll("scalars") Scalar k, @ForAll("scalars") Scalar m) {
    Point p = Point.fromSecret(m);
    assertThat(p.multiplySecret(k)).isEqualTo(p.multiply(k));
    assertThat(Point.generator().multiplySecret(k)).isEqualTo(Point.fromSecret(k));
  }

  @Test
  void ladderHandlesScalarsNearZeroAndTheOrder() {
    Point p = Point.fromSecret(Scalar.of(12345));
    for (long k : new long[] {1, 2, 3, -1, -2}) {
      assertThat(p.multiplySecret(Scalar.of(k))).isEqualTo(p.multiply(Scalar.of(k)));
    }
    assertThat(p.multiplySecret(Scalar.ZERO).isInfinity()).isTrue();
  }

  @Property(tries = 25)
  void compressedEncodingRoundTrips(@ForAll("scalars") Scalar k) {
    Point p = Point.fromSecret(k);
    assertThat(Point.decode(p.encode())).isEqualTo(p);
    assertThat(p.encode()).hasSize(33);
  }

  @Test
  void decodeRejectsWrongLength() {
    assertRejects(new byte[32], Reason.WRONG_LENGTH);
    assertRejects(new byte[34], Reason.WRONG_LENGTH);
  }

  @Test
  void decodeRejectsThePointAtInfinity() {
    assertRejects(new byte[] {0}, Reason.POINT_AT_INFINITY);
    assertRejects(new byte[33], Reason.POINT_AT_INFINITY);
    assertThatThrownBy(() -> Point.infinity().encode()).isInstanceOf(CryptoException.class);
  }

  @Test
  void decodeRejectsUncompressedAndUnknownPrefixes() {
    byte[] enc = Point.generator().encode();
    enc[0] = 4;
    assertRejects(enc, Reason.BAD_POINT_PREFIX);
  }

  @Test
  void decodeRejectsAnXWithNoCurvePoint() {
    // x = 5: 5^3 + 7 = 132 is not a square mod p.
    byte[] enc = new byte[33];
    enc[0] = 2;
    enc[32] = 5;
    assertRejects(enc, Reason.NOT_ON_CURVE);
  }

  @Test
  void decodeRejectsANonCanonicalX() {
    byte[] enc = new byte[33];
    enc[0] = 2;
    System.arraycopy(Bytes.unsigned(Curve.P.add(BigInteger.ONE), 32), 0, enc, 1, 32);
    assertRejects(enc, Reason.COORDINATE_OUT_OF_RANGE);
  }

  @Test
  void scalarDecodeRejectsValuesAtOrAboveTheOrder() {
    assertThatThrownBy(() -> Scalar.decode(Bytes.unsigned(Scalar.ORDER, 32)))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.SCALAR_OUT_OF_RANGE));
    assertThatThrownBy(() -> Scalar.decode(new byte[31]))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_LENGTH));
  }

  @Property(tries = 50)
  void scalarEncodingRoundTrips(@ForAll("scalars") Scalar k) {
    assertThat(Scalar.decode(k.encode())).isEqualTo(k);
  }

  @Test
  void scalarToStringNeverShowsTheValue() {
    Scalar secret = Scalar.of(424242);
    assertThat(secret.toString()).doesNotContain("424242").contains("redacted");
    assertThat(PrivateKey.of(secret).toString()).doesNotContain("424242");
  }

  @Test
  void privateKeysRejectZeroAndNonCanonicalEncodings() {
    assertThatThrownBy(() -> PrivateKey.decode(new byte[32]))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.reason()).isEqualTo(Reason.ZERO_SCALAR));
    assertThatThrownBy(() -> PrivateKey.decode(Bytes.unsigned(Scalar.ORDER, 32)))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.SCALAR_OUT_OF_RANGE));
  }

  @Test
  void scalarArithmeticIsModuloTheOrder() {
    Scalar minusOne = Scalar.of(-1);
    assertThat(minusOne.value()).isEqualTo(Scalar.ORDER.subtract(BigInteger.ONE));
    assertThat(minusOne.add(Scalar.ONE)).isEqualTo(Scalar.ZERO);
    assertThat(Scalar.of(7).multiply(Scalar.of(7).inverse())).isEqualTo(Scalar.ONE);
    assertThatThrownBy(() -> Scalar.ZERO.inverse()).isInstanceOf(InvalidInputException.class);
  }

  private static void assertRejects(byte[] bytes, Reason reason) {
    assertThatThrownBy(() -> Point.decode(bytes))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }
}
