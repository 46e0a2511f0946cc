package io.wetee.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wetee.common.Hex;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class EciesTest {
  static final byte[] CTX = "ctx".getBytes(StandardCharsets.UTF_8);
  static final PrivateKey RECIPIENT = PrivateKey.fromHex("44".repeat(32));

  @Test
  void hkdfMatchesRfc5869TestCase1() {
    byte[] okm =
        Hkdf.sha256(
            Hex.decode("0b".repeat(22)),
            Hex.decode("000102030405060708090a0b0c"),
            Hex.decode("f0f1f2f3f4f5f6f7f8f9"),
            42);
    assertThat(Hex.encode(okm))
        .isEqualTo(
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
                + "34007208d5b887185865");
  }

  @Test
  void encryptionMatchesTheIndependentNodeVector() {
    // ecies-vectors.cjs: recipient d = 0x44..44, ephemeral e = 0x55..55, context "ctx".
    EciesCiphertext ct =
        Ecies.encrypt(
            RECIPIENT.publicKey(),
            "hello".getBytes(StandardCharsets.UTF_8),
            CTX,
            TestRandom.replaying(Hex.decode("55".repeat(32))));
    assertThat(Hex.encode(ct.encode()))
        .isEqualTo(
            "01029ac20335eb38768d2052be1dbbc3c8f6178407458e51e6b4ad22f1d91758895b"
                + "16bb7add188a8527e047faf11eb8b3d0913b18c669");
    assertThat(new String(Ecies.decrypt(RECIPIENT, ct, CTX), StandardCharsets.UTF_8))
        .isEqualTo("hello");
  }

  @Property(tries = 20)
  void ciphertextsRoundTripThroughTheirEncoding(@ForAll @Size(max = 200) byte[] plaintext) {
    EciesCiphertext ct =
        Ecies.encrypt(RECIPIENT.publicKey(), plaintext, CTX, new TestRandom(plaintext.length));
    byte[] encoded = ct.encode();
    assertThat(encoded).hasSize(EciesCiphertext.OVERHEAD + plaintext.length);
    EciesCiphertext decoded = EciesCiphertext.decode(encoded);
    assertThat(decoded).isEqualTo(ct);
    assertThat(Ecies.decrypt(RECIPIENT, decoded, CTX)).isEqualTo(plaintext);
  }

  @Test
  void anotherKeyAnotherContextOrAFlippedBitFailsAuthentication() {
    EciesCiphertext ct =
        Ecies.encrypt(RECIPIENT.publicKey(), new byte[] {1, 2, 3}, CTX, new TestRandom(1));
    PrivateKey other = PrivateKey.generate(new TestRandom(2));
    assertAuthFails(() -> Ecies.decrypt(other, ct, CTX));
    assertAuthFails(() -> Ecies.decrypt(RECIPIENT, ct, "other".getBytes(StandardCharsets.UTF_8)));
    byte[] tampered = ct.encode();
    tampered[tampered.length - 1] ^= 1;
    assertAuthFails(() -> Ecies.decrypt(RECIPIENT, EciesCiphertext.decode(tampered), CTX));
  }

  @Test
  void decodingRejectsShortUnknownVersionAndInvalidPoint() {
    byte[] good =
        Ecies.encrypt(RECIPIENT.publicKey(), new byte[0], CTX, new TestRandom(3)).encode();
    assertRejects(java.util.Arrays.copyOf(good, good.length - 1), Reason.WRONG_LENGTH);
    byte[] version = good.clone();
    version[0] = 2;
    assertRejects(version, Reason.UNSUPPORTED_VERSION);
    byte[] offCurve = good.clone();
    System.arraycopy(new byte[32], 0, offCurve, 2, 32);
    offCurve[33] = 5;
    assertRejects(offCurve, Reason.NOT_ON_CURVE);
  }

  private static void assertRejects(byte[] bytes, Reason reason) {
    assertThatThrownBy(() -> EciesCiphertext.decode(bytes))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }

  static void assertAuthFails(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION_FAILED));
  }

  @Test
  void aSenderSealsSeveralContextsUnderOneEphemeralKeyAndRefusesARepeatedContext() {
    java.security.SecureRandom rnd = new java.security.SecureRandom();
    Ecies.Sender sender = Ecies.sender(RECIPIENT.publicKey(), rnd);
    byte[] a = "a".getBytes(StandardCharsets.UTF_8);
    byte[] b = "b".getBytes(StandardCharsets.UTF_8);
    EciesCiphertext ca = sender.seal("one".getBytes(StandardCharsets.UTF_8), a);
    EciesCiphertext cb = sender.seal("one".getBytes(StandardCharsets.UTF_8), b);
    assertThat(ca.ephemeral()).isEqualTo(cb.ephemeral());
    // Same plaintext, different contexts: different keys, so different bodies.
    assertThat(ca.body()).isNotEqualTo(cb.body());
    assertThatThrownBy(() -> sender.seal(new byte[] {1}, a))
        .isInstanceOf(IllegalStateException.class);
    // The plain decryption and the caching opener agree; contexts are not interchangeable.
    assertThat(new String(Ecies.decrypt(RECIPIENT, ca, a), StandardCharsets.UTF_8))
        .isEqualTo("one");
    Ecies.Opener opener = Ecies.opener(RECIPIENT);
    assertThat(opener.open(cb, b)).isEqualTo("one".getBytes(StandardCharsets.UTF_8));
    assertThat(opener.open(ca, a)).isEqualTo("one".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> opener.open(ca, b))
        .isInstanceOf(InvalidInputException.class)
        .extracting(e -> ((InvalidInputException) e).reason())
        .isEqualTo(Reason.AUTHENTICATION_FAILED);
    PrivateKey other = PrivateKey.generate(rnd);
    assertThatThrownBy(() -> Ecies.opener(other).open(ca, a))
        .isInstanceOf(InvalidInputException.class);
  }
}
