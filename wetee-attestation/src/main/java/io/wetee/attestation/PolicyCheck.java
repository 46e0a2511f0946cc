package io.wetee.attestation;

import io.wetee.common.Hex;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Applies a {@link Policy} to cryptographically verified evidence. The order is fixed so that a
 * rejection names the first failing rule: simulated, debug, TCB status, advisories, MRSERVICETD,
 * report_data, measurements.
 */
final class PolicyCheck {
  private PolicyCheck() {}

  static VerificationResult apply(Verified v, Policy p) {
    return check(v, p).<VerificationResult>map(r -> r).orElse(v);
  }

  static Optional<Rejected> check(Verified v, Policy p) {
    if (v.teeType() == TeeType.SIMULATED && !p.allowSimulated()) {
      return reject(RejectReason.SIMULATED_NOT_ALLOWED, "SIMULATED evidence is not allowed");
    }
    if (v.debug() && !p.allowDebug()) {
      return reject(RejectReason.DEBUG_NOT_ALLOWED, v.teeType() + " evidence is in debug mode");
    }
    if (!p.acceptedTcbStatuses().contains(v.status())) {
      return reject(
          RejectReason.TCB_STATUS_NOT_ALLOWED,
          "TCB status " + v.status() + " is not in " + p.acceptedTcbStatuses());
    }
    if (!p.allowedAdvisoryIds().contains("*")) {
      for (String a : v.advisoryIds()) {
        if (!p.allowedAdvisoryIds().contains(a)) {
          return reject(RejectReason.ADVISORY_NOT_ALLOWED, "advisory " + a + " is not allowed");
        }
      }
    }
    String serviceTd = v.measurements().getOrDefault("mrServiceTd", "");
    if (!serviceTd.isEmpty()
        && !isZero(serviceTd)
        && !containsHex(p.allowedMrServiceTd(), serviceTd)) {
      return reject(RejectReason.SERVICE_TD_NOT_ALLOWED, "non-zero MRSERVICETD " + serviceTd);
    }
    if (!p.reportData().isEmpty() && !norm(p.reportData()).equals(Hex.encode(v.reportData()))) {
      return reject(RejectReason.REPORT_DATA_MISMATCH, "report_data " + Hex.encode(v.reportData()));
    }
    if (!measurementAllowed(v, p)) {
      return reject(
          RejectReason.MEASUREMENT_NOT_ALLOWED,
          v.teeType() + " measurements are not on the policy's allow-list");
    }
    return Optional.empty();
  }

  private static boolean measurementAllowed(Verified v, Policy p) {
    Map<String, String> m = v.measurements();
    return switch (v.teeType()) {
      case SGX -> p.sgx().isEmpty() || p.sgx().stream().anyMatch(e -> sgxMatches(e, m));
      case TDX -> p.tdx().isEmpty() || p.tdx().stream().anyMatch(e -> tdxMatches(e, m));
      case SEV_SNP ->
          p.snp().isEmpty()
              || p.snp().stream()
                  .anyMatch(
                      e ->
                          eq(e.measurement(), m.get("measurement"))
                              && eq(e.hostData(), m.get("hostData")));
      case SIMULATED -> p.simulated().isEmpty() || containsHex(p.simulated(), m.get("measurement"));
    };
  }

  private static boolean sgxMatches(Policy.SgxEnclave e, Map<String, String> m) {
    return eq(e.mrEnclave(), m.get("mrEnclave"))
        && eq(e.mrSigner(), m.get("mrSigner"))
        && (e.isvProdId() == null || e.isvProdId() == Integer.parseInt(m.get("isvProdId")))
        && (e.minIsvSvn() == null || Integer.parseInt(m.get("isvSvn")) >= e.minIsvSvn());
  }

  private static boolean tdxMatches(Policy.TdxTd e, Map<String, String> m) {
    return eq(e.mrTd(), m.get("mrTd"))
        && eq(e.rtmr0(), m.get("rtmr0"))
        && eq(e.rtmr1(), m.get("rtmr1"))
        && eq(e.rtmr2(), m.get("rtmr2"))
        && eq(e.rtmr3(), m.get("rtmr3"));
  }

  /** An absent expectation matches anything. */
  private static boolean eq(String expected, String actual) {
    return expected == null || norm(expected).equals(actual);
  }

  private static boolean containsHex(List<String> list, String hex) {
    return list.stream().anyMatch(s -> norm(s).equals(hex));
  }

  private static String norm(String hex) {
    String s = hex.strip().toLowerCase(Locale.ROOT);
    return s.startsWith("0x") ? s.substring(2) : s;
  }

  private static boolean isZero(String hex) {
    return hex.chars().allMatch(c -> c == '0');
  }

  private static Optional<Rejected> reject(RejectReason r, String message) {
    return Optional.of(new Rejected(r, message));
  }
}
