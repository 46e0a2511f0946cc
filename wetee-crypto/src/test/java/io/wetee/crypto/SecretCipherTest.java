package io.wetee.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wetee.common.Hex;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class SecretCipherTest {
  static final Scalar GROUP_SECRET = Scalar.decode(Hex.decode("11".repeat(32)));
  static final Point GROUP_KEY = Point.fromSecret(GROUP_SECRET);
  static final SecretBinding BINDING =
      new SecretBinding(
          BigInteger.valueOf(31337),
          Eip712Test.CONTRACT,
          EthereumTest.HARDHAT_0.address(),
          "api-key",
          3);

  @Test
  void bindingInfoHasTheDocumentedLayout() {
    assertThat(Hex.encode(BINDING.info()))
        .isEqualTo(
            Hex.encode("wetee-secret-v1".getBytes(StandardCharsets.US_ASCII))
                + "0".repeat(60)
                + "7a69"
                + "5fbdb2315678afecb367f032d93f642f64180aa3"
                + "f39fd6e51aad88f6f4ce6ab8827279cfffb92266"
                + "0007"
                + Hex.encode("api-key".getBytes(StandardCharsets.UTF_8))
                + "00000003");
  }

  @Test
  void encryptionMatchesTheIndependentNodeVector() {
    // ecies-vectors.cjs: s = 0x11..11, r = 0x22..22, nonce = 0x33..33, value "hunter2".
    assertThat(Hex.encode(GROUP_KEY.encode()))
        .isEqualTo("034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa");
    SecretCiphertext ct =
        SecretCipher.encrypt(
            GROUP_KEY,
            BINDING,
            "hunter2".getBytes(StandardCharsets.UTF_8),
            TestRandom.replaying(Hex.decode("22".repeat(32)), Hex.decode("33".repeat(12))));
    assertThat(Hex.encode(ct.encode()))
        .isEqualTo(
            "0102466d7fcae563e5cb09a0d1870bb580344804617879a14949cf22285f1bae3f27"
                + "333333333333333333333333722a5920fd8a3dff94a8deb1069eb61fa46ea94ecad535");
  }

  @Property(tries = 15)
  void valuesRoundTripThroughEncodingAndDecryptionWithTheGroupSecret(
      @ForAll @Size(max = 300) byte[] value) {
    SecretCiphertext ct =
        SecretCipher.encrypt(GROUP_KEY, BINDING, value, new TestRandom(value.length));
    byte[] encoded = ct.encode();
    assertThat(encoded).hasSize(SecretCiphertext.OVERHEAD + value.length);
    SecretCiphertext decoded = SecretCiphertext.decode(encoded);
    assertThat(decoded).isEqualTo(ct);
    assertThat(SecretCipher.decryptWithSecret(GROUP_SECRET, BINDING, decoded)).isEqualTo(value);
    assertThat(SecretCipher.decrypt(ct.c1().multiply(GROUP_SECRET), BINDING, decoded))
        .isEqualTo(value);
  }

  @Test
  void ciphertextFailsUnderAnyOtherOwnerNameVersionChainOrCloud() {
    SecretCiphertext ct =
        SecretCipher.encrypt(GROUP_KEY, BINDING, new byte[] {42}, new TestRandom(7));
    Address other = Eip712Test.HARDHAT_1;
    SecretBinding[] others = {
      new SecretBinding(BINDING.chainId(), BINDING.cloud(), other, "api-key", 3),
      new SecretBinding(BINDING.chainId(), BINDING.cloud(), BINDING.owner(), "api-key2", 3),
      new SecretBinding(BINDING.chainId(), BINDING.cloud(), BINDING.owner(), "api-key", 4),
      new SecretBinding(BigInteger.ONE, BINDING.cloud(), BINDING.owner(), "api-key", 3),
      new SecretBinding(BINDING.chainId(), other, BINDING.owner(), "api-key", 3),
    };
    for (SecretBinding b : others) {
      EciesTest.assertAuthFails(() -> SecretCipher.decryptWithSecret(GROUP_SECRET, b, ct));
    }
    EciesTest.assertAuthFails(
        () -> SecretCipher.decryptWithSecret(GROUP_SECRET.add(Scalar.ONE), BINDING, ct));
  }

  @Test
  void bindingRejectsEmptyOrOverlongNamesAndOversizedVersions() {
    assertThatThrownBy(() -> new SecretBinding(BigInteger.ONE, Address.ZERO, Address.ZERO, "", 1))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(
            () ->
                new SecretBinding(BigInteger.ONE, Address.ZERO, Address.ZERO, "x".repeat(65536), 1))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(
            () -> new SecretBinding(BigInteger.ONE, Address.ZERO, Address.ZERO, "a", 1L << 32))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void decodingRejectsTruncatedInfinityAndVersion() {
    byte[] good = SecretCipher.encrypt(GROUP_KEY, BINDING, new byte[0], new TestRandom(8)).encode();
    assertRejects(java.util.Arrays.copyOf(good, good.length - 1), Reason.WRONG_LENGTH);
    byte[] inf = good.clone();
    java.util.Arrays.fill(inf, 1, 34, (byte) 0);
    assertRejects(inf, Reason.POINT_AT_INFINITY);
    byte[] version = good.clone();
    version[0] = 0;
    assertRejects(version, Reason.UNSUPPORTED_VERSION);
  }

  private static void assertRejects(byte[] bytes, Reason reason) {
    assertThatThrownBy(() -> SecretCiphertext.decode(bytes))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }
}
