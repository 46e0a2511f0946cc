package io.wetee.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class HexTest {
  @Test
  void decodesWithAndWithoutPrefix() {
    assertThat(Hex.decode("0x00ff10")).containsExactly(0x00, 0xff, 0x10);
    assertThat(Hex.decode(" 00FF10\n")).containsExactly(0x00, 0xff, 0x10);
  }

  @Test
  void rejectsOddLengthAndNonHexWithPosition() {
    assertThatThrownBy(() -> Hex.decode("abc")).hasMessageContaining("odd number");
    assertThatThrownBy(() -> Hex.decode("0xag")).hasMessageContaining("position 1");
  }

  @Property
  void roundTrips(@ForAll byte[] bytes) {
    assertThat(Hex.decode(Hex.encode0x(bytes))).isEqualTo(bytes);
  }
}
