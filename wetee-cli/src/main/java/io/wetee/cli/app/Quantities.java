package io.wetee.cli.app;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * Kubernetes-style quantities of the spec's {@code resources}: cpu {@code 500m} or {@code 0.5}
 * (milli-cores), memory in MiB and disk in GiB from {@code Ki/Mi/Gi/Ti} (or {@code K/M/G/T}, or
 * plain bytes), rounded up to the contract's unit.
 */
final class Quantities {
  private Quantities() {}

  /** Milli-cores. */
  static long cpu(String q) {
    String t = q.strip();
    if (t.endsWith("m")) {
      return Long.parseLong(t.substring(0, t.length() - 1));
    }
    return new BigDecimal(t)
        .multiply(BigDecimal.valueOf(1000))
        .setScale(0, RoundingMode.CEILING)
        .longValueExact();
  }

  /** The quantity in units of {@code unitBytes}, rounded up. */
  static long bytesIn(String q, long unitBytes) {
    String t = q.strip();
    long mult = 1;
    String[][] suffixes = {
      {"Ki", "1024"}, {"Mi", "1048576"}, {"Gi", "1073741824"}, {"Ti", "1099511627776"},
      {"K", "1000"}, {"M", "1000000"}, {"G", "1000000000"}, {"T", "1000000000000"}
    };
    for (String[] s : suffixes) {
      if (t.endsWith(s[0])) {
        t = t.substring(0, t.length() - s[0].length());
        mult = Long.parseLong(s[1]);
        break;
      }
    }
    BigDecimal bytes =
        new BigDecimal(t.toLowerCase(Locale.ROOT)).multiply(BigDecimal.valueOf(mult));
    if (bytes.signum() < 0) {
      throw new NumberFormatException("negative");
    }
    return bytes.divide(BigDecimal.valueOf(unitBytes), 0, RoundingMode.CEILING).longValueExact();
  }
}
