package io.wetee.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class AmountsTest {
  @Test
  void parsesTokensAndUnits() {
    assertThat(Amounts.parse("1.5")).isEqualTo(new BigInteger("1500000000000000000"));
    assertThat(Amounts.parse("2eth")).isEqualTo(new BigInteger("2000000000000000000"));
    assertThat(Amounts.parse("100 gwei")).isEqualTo(new BigInteger("100000000000"));
    assertThat(Amounts.parse("42wei")).isEqualTo(BigInteger.valueOf(42));
    assertThat(Amounts.parse("1_000wei")).isEqualTo(BigInteger.valueOf(1000));
  }

  @Test
  void rejectsMalformedNegativeAndSubWeiAmounts() {
    assertThatThrownBy(() -> Amounts.parse("ten")).isInstanceOf(UsageException.class);
    assertThatThrownBy(() -> Amounts.parse("-1")).hasMessageContaining("negative");
    assertThatThrownBy(() -> Amounts.parse("0.5wei")).hasMessageContaining("precision");
  }

  @Test
  void formatsWeiAsTokens() {
    assertThat(Amounts.format(new BigInteger("1500000000000000000"))).isEqualTo("1.5");
    assertThat(Amounts.format(new BigInteger("2000000000000000000"))).isEqualTo("2");
    assertThat(Amounts.format(BigInteger.ONE)).isEqualTo("0.000000000000000001");
  }
}
