package io.wetee.attestation;

import com.fasterxml.jackson.core.JacksonException;
import io.wetee.common.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What verified evidence must also satisfy to be accepted. Loaded from YAML or JSON (unknown fields
 * fail); every field is optional, absent fields take the defaults of {@link #defaults()}. Hex
 * values are case-insensitive.
 *
 * @param allowSimulated accept SIMULATED evidence (default false: never in production)
 * @param allowDebug accept debug enclaves, TDs and guests (default false)
 * @param acceptedTcbStatuses accepted merged TCB statuses (default UpToDate, SWHardeningNeeded)
 * @param allowedAdvisoryIds advisory IDs that may appear; {@code "*"} allows any (default ["*"])
 * @param reportData expected report_data as hex (64 bytes), or "" to skip the check
 * @param sgx accepted SGX enclaves (any one must match); empty accepts any
 * @param tdx accepted TDs (any one must match); empty accepts any
 * @param snp accepted SEV-SNP guests (any one must match); empty accepts any
 * @param simulated accepted SIMULATED measurements (hex); empty accepts any
 * @param allowedMrServiceTd non-zero MRSERVICETD values (hex) accepted; a TD with a non-zero
 *     MRSERVICETD not listed here is rejected (default empty)
 */
public record Policy(
    Boolean allowSimulated,
    Boolean allowDebug,
    List<TcbStatus> acceptedTcbStatuses,
    List<String> allowedAdvisoryIds,
    String reportData,
    List<SgxEnclave> sgx,
    List<TdxTd> tdx,
    List<SnpGuest> snp,
    List<String> simulated,
    List<String> allowedMrServiceTd) {

  /**
   * An accepted SGX enclave: by MRENCLAVE, or by MRSIGNER with ISVPRODID and a minimum ISVSVN.
   * Absent fields match anything.
   */
  public record SgxEnclave(
      String mrEnclave, String mrSigner, Integer isvProdId, Integer minIsvSvn) {}

  /** An accepted TD: MRTD and RTMR0..3 as hex; absent fields match anything. */
  public record TdxTd(String mrTd, String rtmr0, String rtmr1, String rtmr2, String rtmr3) {}

  /** An accepted SEV-SNP guest: MEASUREMENT and HOST_DATA as hex; absent fields match anything. */
  public record SnpGuest(String measurement, String hostData) {}

  public Policy {
    allowSimulated = allowSimulated != null && allowSimulated;
    allowDebug = allowDebug != null && allowDebug;
    acceptedTcbStatuses =
        acceptedTcbStatuses == null
            ? List.of(TcbStatus.UpToDate, TcbStatus.SWHardeningNeeded)
            : List.copyOf(acceptedTcbStatuses);
    allowedAdvisoryIds =
        allowedAdvisoryIds == null ? List.of("*") : List.copyOf(allowedAdvisoryIds);
    reportData = reportData == null ? "" : reportData;
    sgx = sgx == null ? List.of() : List.copyOf(sgx);
    tdx = tdx == null ? List.of() : List.copyOf(tdx);
    snp = snp == null ? List.of() : List.copyOf(snp);
    simulated = simulated == null ? List.of() : List.copyOf(simulated);
    allowedMrServiceTd = allowedMrServiceTd == null ? List.of() : List.copyOf(allowedMrServiceTd);
  }

  /** No simulated evidence, no debug, UpToDate or SWHardeningNeeded, any measurement. */
  public static Policy defaults() {
    return new Policy(null, null, null, null, null, null, null, null, null, null);
  }

  /** A copy that accepts SIMULATED evidence. */
  public Policy withAllowSimulated(boolean allow) {
    return new Policy(
        allow,
        allowDebug,
        acceptedTcbStatuses,
        allowedAdvisoryIds,
        reportData,
        sgx,
        tdx,
        snp,
        simulated,
        allowedMrServiceTd);
  }

  /** A copy that accepts debug evidence. */
  public Policy withAllowDebug(boolean allow) {
    return new Policy(
        allowSimulated,
        allow,
        acceptedTcbStatuses,
        allowedAdvisoryIds,
        reportData,
        sgx,
        tdx,
        snp,
        simulated,
        allowedMrServiceTd);
  }

  /** A copy with the given accepted statuses. */
  public Policy withAcceptedTcbStatuses(List<TcbStatus> statuses) {
    return new Policy(
        allowSimulated,
        allowDebug,
        statuses,
        allowedAdvisoryIds,
        reportData,
        sgx,
        tdx,
        snp,
        simulated,
        allowedMrServiceTd);
  }

  /** Parses YAML (a superset of JSON); unknown fields fail. */
  public static Policy parse(String text) {
    try {
      Policy p = Json.yaml().readValue(text, Policy.class);
      return p == null ? defaults() : p;
    } catch (JacksonException e) {
      throw new AttestationException("invalid policy: " + e.getOriginalMessage(), e);
    }
  }

  /** Loads a YAML or JSON policy file. */
  public static Policy load(Path file) {
    try {
      return parse(Files.readString(file));
    } catch (IOException e) {
      throw new AttestationException("cannot read policy " + file, e);
    }
  }
}
