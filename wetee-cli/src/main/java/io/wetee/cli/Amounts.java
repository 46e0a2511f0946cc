package io.wetee.cli;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Locale;

/**
 * Parses and formats native-token amounts. Input: a decimal number of whole tokens ({@code 1.5}),
 * or an integer with a unit suffix ({@code 1500000000gwei}, {@code 42wei}, {@code 2eth}). Output:
 * wei as an integer, or tokens with up to 18 decimals.
 */
public final class Amounts {
  private static final BigDecimal WEI_PER_ETH = BigDecimal.TEN.pow(18);

  private Amounts() {}

  /**
   * Parses an amount into wei.
   *
   * @throws UsageException naming the problem when the text is not a non-negative amount
   */
  public static BigInteger parse(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT).replace("_", "");
    BigDecimal scale = WEI_PER_ETH;
    for (String[] unit : new String[][] {{"gwei", "1000000000"}, {"wei", "1"}, {"eth", null}}) {
      if (t.endsWith(unit[0])) {
        t = t.substring(0, t.length() - unit[0].length()).strip();
        scale = unit[1] == null ? WEI_PER_ETH : new BigDecimal(unit[1]);
        break;
      }
    }
    BigDecimal value;
    try {
      value = new BigDecimal(t);
    } catch (NumberFormatException e) {
      throw new UsageException(
          "not an amount: '" + text + "' (examples: 1.5, 2eth, 100gwei, 42wei)");
    }
    if (value.signum() < 0) {
      throw new UsageException("amount must not be negative: " + text);
    }
    BigDecimal wei = value.multiply(scale);
    if (wei.stripTrailingZeros().scale() > 0) {
      throw new UsageException("amount has more precision than 1 wei: " + text);
    }
    return wei.toBigIntegerExact();
  }

  /** Formats wei as whole tokens, e.g. {@code 1.5} for 1.5e18 wei. */
  public static String format(BigInteger wei) {
    BigDecimal eth = new BigDecimal(wei).divide(WEI_PER_ETH).stripTrailingZeros();
    return eth.scale() < 0 ? eth.setScale(0).toPlainString() : eth.toPlainString();
  }
}
