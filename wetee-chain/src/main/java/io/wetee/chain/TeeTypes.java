package io.wetee.chain;

import io.wetee.attestation.TeeType;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** Converts between sets of {@link TeeType} and the contracts' bitmask (bit i = code i). */
public final class TeeTypes {
  private TeeTypes() {}

  /** The bitmask of a set of TEE types. */
  public static int mask(Collection<TeeType> types) {
    int mask = 0;
    for (TeeType t : types) {
      mask |= 1 << t.code();
    }
    return mask;
  }

  /** The TEE types in a bitmask; unknown bits are ignored. */
  public static Set<TeeType> of(int mask) {
    Set<TeeType> set = EnumSet.noneOf(TeeType.class);
    for (TeeType t : TeeType.values()) {
      if ((mask & (1 << t.code())) != 0) {
        set.add(t);
      }
    }
    return set;
  }

  /**
   * Parses a comma-separated list such as {@code TDX,SEV_SNP} (case-insensitive; {@code SNP} and
   * {@code SEV-SNP} are accepted for SEV_SNP).
   *
   * @throws IllegalArgumentException naming an unknown type or an empty list
   */
  public static Set<TeeType> parse(String text) {
    Set<TeeType> set = EnumSet.noneOf(TeeType.class);
    for (String part : text.split(",", -1)) {
      String name = part.strip().toUpperCase(Locale.ROOT).replace('-', '_');
      if (name.equals("SNP")) {
        name = "SEV_SNP";
      }
      try {
        set.add(TeeType.valueOf(name));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "unknown TEE type '" + part.strip() + "' (known: SIMULATED, SGX, TDX, SEV_SNP)", e);
      }
    }
    if (set.isEmpty()) {
      throw new IllegalArgumentException("at least one TEE type is required");
    }
    return set;
  }
}
