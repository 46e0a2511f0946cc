package io.wetee.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Eip712Test {
  static final BigInteger CHAIN = BigInteger.valueOf(31337);
  static final Address CONTRACT = Address.fromHex("0x5FbDB2315678afecb367f032d93F642f64180aa3");
  static final Address HARDHAT_1 = Address.fromHex("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");

  static Eip712Struct person(String name, String wallet) {
    return Eip712Struct.builder("Person")
        .string("name", name)
        .address("wallet", Address.fromHex(wallet))
        .build();
  }

  static Eip712Struct mail() {
    return Eip712Struct.builder("Mail")
        .struct("from", person("Cow", "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"))
        .struct("to", person("Bob", "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"))
        .string("contents", "Hello, Bob!")
        .build();
  }

  static final Eip712Domain MAIL_DOMAIN =
      new Eip712Domain(
          "Ether Mail",
          "1",
          BigInteger.ONE,
          Address.fromHex("0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"));

  @Test
  void mailExampleOfTheSpecHashesToItsPublishedValues() {
    assertThat(Eip712.encodeType(mail()))
        .isEqualTo("Mail(Person from,Person to,string contents)Person(string name,address wallet)");
    assertThat(MAIL_DOMAIN.separator().toHex())
        .isEqualTo("0xf2cee375fa42b42143804025fc449deafd50cc031ca257e0b194a650a912090f");
    assertThat(Eip712.hashStruct(mail()).toHex())
        .isEqualTo("0xc52c0ee5d84264471806290a3f2c4cecfc5490626bf912d01f240d7a274b371e");
    assertThat(Eip712.digest(MAIL_DOMAIN, mail()).toHex())
        .isEqualTo("0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2");
  }

  @Test
  void mailExampleSignatureOfTheSpecIsReproducedByTheCowKey() {
    PrivateKey cow = PrivateKey.decode(Keccak.keccak256("cow".getBytes(StandardCharsets.UTF_8)));
    assertThat(cow.address().toString()).isEqualTo("0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826");
    EthSignature sig = Ethereum.sign(cow, Eip712.digest(MAIL_DOMAIN, mail()));
    assertThat(sig.v()).isEqualTo(28);
    assertThat(sig.r().toString(16))
        .isEqualTo("4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d");
    assertThat(sig.s().toString(16))
        .isEqualTo("7299936d304c153f6443dfa05f40ff007d72911b6f72307f996231605b91562");
  }

  @Test
  void verdictDigestAndSignatureMatchEthers() {
    Verdict verdict =
        new Verdict(
            -1L, // uint64 max, read as unsigned
            7,
            HARDHAT_1,
            3,
            Keccak.hash("measurement".getBytes(StandardCharsets.UTF_8)),
            1,
            1_700_000_000L,
            1_700_003_600L);
    assertThat(verdict.encodeType()).isEqualTo(Verdict.TYPE);
    assertThat(Eip712.hashStruct(verdict.toStruct()).toHex())
        .isEqualTo("0x135af3ee4f3ad157143c059dd2b59a231de1ec7f3eec34fd1859195741aef6e6");
    assertThat(verdict.digest(CHAIN, CONTRACT).toHex())
        .isEqualTo("0xd2bac2b3f75828fe626ab72020d11d5f0b12cb239779cc4acee7e39cd04df2e9");
    EthSignature sig = verdict.sign(EthereumTest.HARDHAT_0, CHAIN, CONTRACT);
    assertThat(sig.toHex())
        .isEqualTo(
            "0x6b1beee06decb22aa601c23f8a50a82536c51e6a96e22556b6110a71bd54c3d7"
                + "611f04600f4a0ebabc8d323c9b71111a354c910376b6b286045e7db7ffc459411b");
    assertThat(verdict.recoverSigner(sig, CHAIN, CONTRACT))
        .isEqualTo(EthereumTest.HARDHAT_0.address());
    assertThat(verdict.recoverSigner(sig, BigInteger.ONE, CONTRACT))
        .isNotEqualTo(EthereumTest.HARDHAT_0.address());
  }

  @Test
  void settleProofDigestAndSignatureMatchEthers() {
    SettleProof proof =
        new SettleProof(
            42,
            0xFFFF_FFFFL,
            100,
            700,
            Keccak.hash("logs".getBytes(StandardCharsets.UTF_8)),
            Keccak.hash("metrics".getBytes(StandardCharsets.UTF_8)));
    assertThat(proof.encodeType()).isEqualTo(SettleProof.TYPE);
    assertThat(Eip712.hashStruct(proof.toStruct()).toHex())
        .isEqualTo("0xc1bdf853f59d379646146dbdcc1313de2a481a3103ac3f7c1a381aa1e5b84c0b");
    assertThat(proof.digest(CHAIN, CONTRACT).toHex())
        .isEqualTo("0x71264e3a06eafd18127e6019c2dd87197dc1cbae09e9d21cfa4078f657a51156");
    assertThat(proof.sign(EthereumTest.HARDHAT_0, CHAIN, CONTRACT).toHex())
        .isEqualTo(
            "0x33b78d8f0f0d1b2d4c24ea472656f62017151ec63d1a7ac8e95ba21c3260863d"
                + "0a1adf0707f7043afb16bd127727689f3077975efca58a2ac2b22e088c204a1a1b");
  }

  @Test
  void runResultWithNegativeExitCodeMatchesEthers() {
    RunResult run =
        new RunResult(
            42,
            2,
            9,
            -2,
            Keccak.hash("result".getBytes(StandardCharsets.UTF_8)),
            Keccak.hash("run logs".getBytes(StandardCharsets.UTF_8)));
    assertThat(run.encodeType()).isEqualTo(RunResult.TYPE);
    assertThat(Eip712.hashStruct(run.toStruct()).toHex())
        .isEqualTo("0xdd3673502c24c84591fcd38a5c465b789ab56475072b124fe266144ca417eb36");
    assertThat(run.digest(CHAIN, CONTRACT).toHex())
        .isEqualTo("0x6f57eabcace14cf9a1e03d1c2231ae5d3dd02be9cd0f1e29a05f0f9a934c26f9");
    assertThat(run.sign(EthereumTest.HARDHAT_0, CHAIN, CONTRACT).toHex())
        .isEqualTo(
            "0x8b07527b532a7af3cf46bb0f4fe4c73b0461ca562d5ca64b1d3e94119d75f375"
                + "186c4601ab4da29cfa21418a0ea104fbf3a0b94edc29aadeea8bd68080fce20c1c");
  }

  @Test
  void typeHashesMatchTheValuesPublishedInTheReadme() {
    Bytes32 h = Bytes32.ZERO;
    assertThat(Eip712.typeHash(new Verdict(0, 0, HARDHAT_1, 0, h, 0, 0, 0).toStruct()).toHex())
        .isEqualTo("0x9a1e56af4cadc199ed84829c1fca171b7b8c5a17872bfb3cad6ed627daf8ab54");
    assertThat(Eip712.typeHash(new SettleProof(0, 0, 0, 0, h, h).toStruct()).toHex())
        .isEqualTo("0x97e9ef73d1d8db172ff8d048fec0f5ac803050d01c9e6eec8ec871e24d60aee9");
    assertThat(Eip712.typeHash(new RunResult(0, 0, 0, 0, h, h).toStruct()).toHex())
        .isEqualTo("0xdb0f5f3dd00e9df27e7b2ab4efb919314a2a84d160a9c89dddcafefaf7c82528");
    assertThat(Eip712.typeHash(MAIL_DOMAIN.toStruct()).toHex())
        .isEqualTo("0x8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f");
  }

  @Test
  void typedMessagesRejectValuesThatDoNotFitTheirSolidityWidths() {
    Bytes32 h = Bytes32.ZERO;
    assertThatThrownBy(() -> new Verdict(1, 1L << 32, HARDHAT_1, 0, h, 0, 0, 0))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> new Verdict(1, 1, HARDHAT_1, 256, h, 0, 0, 0))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> new RunResult(1, -1, 1, 0, h, h))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> new Eip712Value.Uint(8, BigInteger.valueOf(256)))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> new Eip712Value.Int(8, BigInteger.valueOf(128)))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void signedIntegersAreSignExtendedToAWord() {
    byte[] word = new Eip712Value.Int(32, BigInteger.valueOf(-2)).encodeWord();
    assertThat(word).hasSize(32);
    assertThat(new BigInteger(word)).isEqualTo(BigInteger.valueOf(-2));
  }

  @Test
  void conflictingDefinitionsOfOneStructNameAreRejected() {
    Eip712Struct other = Eip712Struct.builder("Person").string("name", "x").build();
    Eip712Struct bad =
        Eip712Struct.builder("Pair")
            .struct("a", person("Cow", "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"))
            .struct("b", other)
            .build();
    assertThatThrownBy(() -> Eip712.encodeType(bad)).isInstanceOf(InvalidInputException.class);
  }
}
