package io.wetee.common.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.wetee.common.Json;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {
  @Test
  void matchesTheRfc8785SortingAndValueExample() throws Exception {
    // RFC 8785 §3.2.2 example input (numbers, string escapes, literals).
    String input =
        "{\"numbers\": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],"
            + " \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\","
            + " \"literals\": [null, true, false]}";
    String out = CanonicalJson.text(Json.strict().readTree(input));
    assertThat(out)
        .isEqualTo(
            "{\"literals\":[null,true,false],"
                + "\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
                + "\"string\":\"\u20ac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
  }

  @Test
  void sortsNamesByUtf16CodeUnits() throws Exception {
    // RFC 8785 §3.2.3: sorted by UTF-16 code units, so a surrogate pair sorts below U+FB33.
    String input = "{\"\\ufb33\":3,\"\\ud83d\\ude00\":2,\"\\u20ac\":1,\"1\":0}";
    assertThat(CanonicalJson.text(Json.strict().readTree(input)))
        .isEqualTo("{\"1\":0,\"\u20ac\":1,\"\ud83d\ude00\":2,\"\ufb33\":3}");
  }

  @Test
  void formatsNumbersAsEcmaScript() {
    assertThat(CanonicalJson.es(1e21)).isEqualTo("1e+21");
    assertThat(CanonicalJson.es(1e20)).isEqualTo("100000000000000000000");
    assertThat(CanonicalJson.es(1e-6)).isEqualTo("0.000001");
    assertThat(CanonicalJson.es(1e-7)).isEqualTo("1e-7");
    assertThat(CanonicalJson.es(-1.5)).isEqualTo("-1.5");
    assertThat(CanonicalJson.es(123.456e10)).isEqualTo("1234560000000");
    assertThat(CanonicalJson.es(Double.MIN_VALUE)).isEqualTo("5e-324");
  }
}
