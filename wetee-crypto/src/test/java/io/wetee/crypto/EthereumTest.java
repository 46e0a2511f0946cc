package io.wetee.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wetee.common.Hex;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class EthereumTest {
  static final PrivateKey HARDHAT_0 =
      PrivateKey.fromHex("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");

  @Test
  void keccak256MatchesKnownDigests() {
    assertThat(Hex.encode(Keccak.keccak256()))
        .isEqualTo("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
    assertThat(Hex.encode(Keccak.keccak256("abc".getBytes(StandardCharsets.US_ASCII))))
        .isEqualTo("4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
  }

  @Test
  void hardhatAccountKeysHaveTheirWellKnownAddresses() {
    assertThat(HARDHAT_0.address().toString())
        .isEqualTo("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    PrivateKey hardhat1 =
        PrivateKey.fromHex("59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
    assertThat(hardhat1.address().toString())
        .isEqualTo("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
  }

  @Test
  void addressesParseWithEip55ChecksumOrSingleCase() {
    String checksummed = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
    assertThat(Address.fromHex(checksummed).toString()).isEqualTo(checksummed);
    assertThat(Address.fromHex(checksummed.toLowerCase(java.util.Locale.ROOT)))
        .isEqualTo(Address.fromHex(checksummed));
    assertThatThrownBy(() -> Address.fromHex("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.BAD_TEXT_ENCODING));
    assertThatThrownBy(() -> Address.fromHex("0x1234"))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_LENGTH));
  }

  @Test
  void personalSignMatchesTheWeb3jsDocumentationVector() {
    PrivateKey key =
        PrivateKey.fromHex("0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318");
    Bytes32 hash = Ethereum.personalMessageHash("Some data".getBytes(StandardCharsets.UTF_8));
    assertThat(hash.toHex())
        .isEqualTo("0x1da44b586eb0729ff70a73c326926f6ed5a25f5b056e7f47fbc6e58d86871655");
    EthSignature sig = Ethereum.sign(key, hash);
    assertThat(sig.toHex())
        .isEqualTo(
            "0xb91467e570a6466aa9e9876cbcd013baba02900b8979d43fe208a4a4f339f5fd"
                + "6007e74cd82e037b800186422fc2da167c747ef045e5d18a5f5d4300f8e1a0291c");
    assertThat(Ethereum.recover(hash, sig))
        .isEqualTo(Address.fromHex("0x2c7536E3605D9C16a7a3D7b1898e529396a65c23"));
  }

  @Test
  void signaturesMatchEthersForTheHardhatKey() {
    // eth-vectors.cjs: wallet.signMessageSync("hello wetee") and signingKey.sign(keccak("abc")).
    Bytes32 personal = Ethereum.personalMessageHash("hello wetee".getBytes(StandardCharsets.UTF_8));
    assertThat(Ethereum.sign(HARDHAT_0, personal).toHex())
        .isEqualTo(
            "0x389c4ad878aba1c439f671ea664f0f8087357bcc478cfd2c8c384bf02e502c6a"
                + "084797f537fe1042b276e67a55c2fca7804d8cd4e1768d6d3ee4abdd26a42e691b");
    Bytes32 abc = Keccak.hash("abc".getBytes(StandardCharsets.US_ASCII));
    assertThat(Ethereum.sign(HARDHAT_0, abc).toHex())
        .isEqualTo(
            "0x5a2641cf507781b764362193efa1f85828ab177d2f87e4f66a04106c7d6fa5c1"
                + "7a0feb0d2a05d944de58ded60738d60c8c2dc21e6feaf10a99a492687232148f1c");
  }

  @Property(tries = 20)
  void signedHashesRecoverTheSignerWithLowS(
      @ForAll @Size(32) byte[] hash, @ForAll @Size(32) byte[] seed) {
    PrivateKey key = PrivateKey.generate(new TestRandom(java.util.Arrays.hashCode(seed)));
    EthSignature sig = Ethereum.sign(key, hash);
    assertThat(sig.s()).isLessThanOrEqualTo(Scalar.ORDER.shiftRight(1));
    assertThat(Ethereum.recover(hash, sig)).isEqualTo(key.address());
    assertThat(EthSignature.decode(sig.encode())).isEqualTo(sig);
  }

  /**
   * Signing keeps R to read v from its y parity; the reference is BouncyCastle's ECDSASigner with
   * low-s normalisation and v found by trial recovery (how this class signed before).
   */
  @Property(tries = 30)
  void signaturesEqualBouncyCastlesEcdsaWithTrialRecovery(
      @ForAll @Size(32) byte[] hash, @ForAll long seed) {
    PrivateKey key = PrivateKey.generate(new TestRandom(seed));
    org.bouncycastle.crypto.signers.ECDSASigner signer =
        new org.bouncycastle.crypto.signers.ECDSASigner(
            new org.bouncycastle.crypto.signers.HMacDSAKCalculator(
                new org.bouncycastle.crypto.digests.SHA256Digest()));
    signer.init(
        true,
        new org.bouncycastle.crypto.params.ECPrivateKeyParameters(
            key.secret().value(), Curve.DOMAIN));
    java.math.BigInteger[] rs = signer.generateSignature(hash);
    java.math.BigInteger s = rs[1].compareTo(Curve.HALF_N) > 0 ? Curve.N.subtract(rs[1]) : rs[1];
    EthSignature v27 = new EthSignature(rs[0], s, 27);
    EthSignature expected =
        Ethereum.recover(hash, v27).equals(key.address()) ? v27 : new EthSignature(rs[0], s, 28);
    assertThat(Ethereum.sign(key, hash)).isEqualTo(expected);
    assertThat(Ethereum.recover(hash, expected)).isEqualTo(key.address());
  }

  /** Verification with v agrees with recovery: same key yes; other key, hash or v no. */
  @Property(tries = 20)
  void isSignedByAcceptsExactlyWhatRecoveryGivesTheKey(
      @ForAll @Size(32) byte[] hash, @ForAll long seed) {
    PrivateKey key = PrivateKey.generate(new TestRandom(seed));
    EthSignature sig = Ethereum.sign(key, hash);
    assertThat(Ethereum.isSignedBy(hash, sig, key.publicKey())).isTrue();
    EthSignature otherV = new EthSignature(sig.r(), sig.s(), sig.v() == 27 ? 28 : 27);
    assertThat(Ethereum.isSignedBy(hash, otherV, key.publicKey())).isFalse();
    assertThat(Ethereum.recoverPublicKey(hash, otherV)).isNotEqualTo(key.publicKey());
    PrivateKey other = PrivateKey.generate(new TestRandom(seed + 1));
    assertThat(Ethereum.isSignedBy(hash, sig, other.publicKey())).isFalse();
    byte[] changed = hash.clone();
    changed[31] ^= 1;
    assertThat(Ethereum.isSignedBy(changed, sig, key.publicKey())).isFalse();
    assertThat(Ethereum.isSignedBy(hash, sig, Point.infinity())).isFalse();
  }

  @Test
  void aSignatureOverAnotherHashRecoversAnotherAddress() {
    byte[] hash = Keccak.keccak256("one".getBytes(StandardCharsets.UTF_8));
    EthSignature sig = Ethereum.sign(HARDHAT_0, hash);
    hash[0] ^= 1;
    assertThat(Ethereum.recover(hash, sig)).isNotEqualTo(HARDHAT_0.address());
  }

  @Test
  void signatureDecodingRejectsHighSBadVAndWrongLength() {
    byte[] good = Ethereum.sign(HARDHAT_0, Keccak.keccak256(new byte[] {1})).encode();
    byte[] badV = good.clone();
    badV[64] = 1;
    assertSignatureRejected(badV, Reason.BAD_RECOVERY_ID);
    EthSignature sig = EthSignature.decode(good);
    byte[] highS =
        Bytes.concat(
            Bytes.unsigned(sig.r(), 32),
            Bytes.unsigned(Scalar.ORDER.subtract(sig.s()), 32),
            new byte[] {(byte) (55 - sig.v())});
    assertSignatureRejected(highS, Reason.HIGH_S);
    byte[] zeroR = good.clone();
    java.util.Arrays.fill(zeroR, 0, 32, (byte) 0);
    assertSignatureRejected(zeroR, Reason.SIGNATURE_OUT_OF_RANGE);
    assertSignatureRejected(new byte[64], Reason.WRONG_LENGTH);
  }

  @Test
  void recoveryFailsWhenRIsNotTheXOfACurvePoint() {
    EthSignature sig =
        new EthSignature(java.math.BigInteger.valueOf(5), java.math.BigInteger.ONE, 27);
    assertThatThrownBy(() -> Ethereum.recover(new byte[32], sig))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.UNRECOVERABLE_SIGNATURE));
  }

  private static void assertSignatureRejected(byte[] bytes, Reason reason) {
    assertThatThrownBy(() -> EthSignature.decode(bytes))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }
}
