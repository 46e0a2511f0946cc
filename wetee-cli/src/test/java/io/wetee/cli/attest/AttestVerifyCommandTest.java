package io.wetee.cli.attest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wetee.cli.CliRun;
import io.wetee.common.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wetee attest verify} on the shared vectors, at their pinned times. */
class AttestVerifyCommandTest {
  static final Path DATA = locate();

  @TempDir Path tmp;

  private static Path locate() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isDirectory(p.resolve("shared/testdata/attestation"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("shared/testdata/attestation not found");
    }
    return p.resolve("shared/testdata/attestation");
  }

  static String f(String rel) {
    return DATA.resolve(rel).toString();
  }

  static JsonNode json(CliRun r) throws IOException {
    return Json.lenient().readTree(r.out());
  }

  @Test
  void verifiesTheSgxQuoteD1AsJsonWithExitZero() throws IOException {
    CliRun r =
        CliRun.of(
            "attest",
            "verify",
            f("sgx/dcap-qvl/sgx_quote.bin"),
            "--collateral",
            f("sgx/dcap-qvl/sgx_quote_collateral.json"),
            "--at",
            "1752919277",
            "--json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode j = json(r);
    assertThat(j.get("verified").asBoolean()).isTrue();
    assertThat(j.get("teeType").asText()).isEqualTo("SGX");
    assertThat(j.get("quoteVersion").asInt()).isEqualTo(3);
    assertThat(j.get("status").asText()).isEqualTo("ConfigurationAndSWHardeningNeeded");
    assertThat(j.get("advisoryIds").toString())
        .isEqualTo("[\"INTEL-SA-00289\",\"INTEL-SA-00615\"]");
    assertThat(j.get("qeStatus").asText()).isEqualTo("UpToDate");
    assertThat(j.has("tdxModuleStatus")).isFalse();
    assertThat(j.get("debug").asBoolean()).isFalse();
    assertThat(j.get("measurements").get("mrEnclave").asText())
        .isEqualTo("33d8736db756ed4997e04ba358d27833188f1932ff7b1d156904d3f560452fbb");
    assertThat(j.get("reportData").asText()).startsWith("48656c6c6f2c20776f726c6421000000");
  }

  @Test
  void verifiesTheTdxQuoteD2FromHexTypedTdx() throws IOException {
    Path hex = tmp.resolve("q.hex");
    Files.writeString(
        hex,
        "0x"
            + io.wetee.common.Hex.encode(
                Files.readAllBytes(DATA.resolve("tdx/dcap-qvl/tdx_quote.bin")))
            + "\n");
    CliRun r =
        CliRun.of(
            "attest",
            "verify",
            hex.toString(),
            "--type",
            "tdx",
            "--collateral",
            f("tdx/dcap-qvl/tdx_quote_collateral.json"),
            "--at",
            "1752919234",
            "--json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode j = json(r);
    assertThat(j.get("status").asText()).isEqualTo("UpToDate");
    assertThat(j.get("tdxModuleStatus").asText()).isEqualTo("UpToDate");
    assertThat(j.get("advisoryIds").size()).isZero();
    assertThat(j.get("measurements").get("mrTd").asText()).startsWith("91eb2b44d141d4ec");
  }

  @Test
  void rejectsD3WithExitOneAndTheStableCode() throws IOException {
    CliRun r =
        CliRun.of(
            "attest",
            "verify",
            f("tdx/dcap-qvl/tdx_quote_outdated.bin"),
            "--collateral",
            f("tdx/dcap-qvl/tdx_quote_outdated_collateral.json"),
            "--at",
            "1774003274",
            "--json");
    assertThat(r.exitCode()).isEqualTo(1);
    JsonNode j = json(r);
    assertThat(j.get("verified").asBoolean()).isFalse();
    assertThat(j.get("error").get("code").asText()).isEqualTo("TCB_LEVEL_NOT_FOUND");
    assertThat(j.get("error").get("number").asInt()).isEqualTo(40);
    assertThat(j.get("error").get("message").asText()).contains("TCB level");
  }

  @Test
  void verifiesSnpS1WithVekAndCaButRejectsItUnderANoDebugPolicy() throws IOException {
    String[] base = {
      "attest",
      "verify",
      f("sev-snp/go-sev-guest/attestation.bin"),
      "--type",
      "snp",
      "--vek",
      f("sev-snp/go-sev-guest/vcek.der"),
      "--ca",
      f("sev-snp/amd-roots/ask_ark_milan.pem"),
      "--at",
      "1663981200"
    };
    CliRun ok = CliRun.of(base);
    assertThat(ok.exitCode()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("verified SEV_SNP evidence v2: UpToDate (DEBUG)");
    Path policy = tmp.resolve("policy.yaml");
    Files.writeString(policy, "allowDebug: false\n");
    String[] withPolicy = java.util.Arrays.copyOf(base, base.length + 3);
    withPolicy[base.length] = "--policy";
    withPolicy[base.length + 1] = policy.toString();
    withPolicy[base.length + 2] = "--json";
    CliRun rejected = CliRun.of(withPolicy);
    assertThat(rejected.exitCode()).isEqualTo(1);
    assertThat(json(rejected).get("error").get("code").asText()).isEqualTo("DEBUG_NOT_ALLOWED");
  }

  @Test
  void verifiesIntelSyntheticD7WithItsTestRootAndCollateralDirectory() {
    CliRun r =
        CliRun.of(
            "attest",
            "verify",
            f("sgx/intel-qvl-sample/quote.dat"),
            "--root",
            f("sgx/intel-qvl-sample/trustedRootCaCert.pem"),
            "--collateral",
            f("sgx/intel-qvl-sample"),
            "--at",
            "1577836800");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("verified SGX evidence v3: UpToDate");
  }

  @Test
  void exitsTwoOnUsageErrors() throws IOException {
    assertThat(
            CliRun.of("attest", "verify", f("sgx/dcap-qvl/sgx_quote.bin"), "--type", "quantum")
                .exitCode())
        .isEqualTo(2);
    assertThat(CliRun.of("attest", "verify", tmp.resolve("missing.bin").toString()).exitCode())
        .isEqualTo(2);
    assertThat(CliRun.of("attest", "verify").exitCode()).isEqualTo(2);
    Path badPolicy = tmp.resolve("bad.yaml");
    Files.writeString(badPolicy, "allowSimulation: true\n");
    CliRun r =
        CliRun.of(
            "attest", "verify", f("sgx/dcap-qvl/sgx_quote.bin"), "--policy", badPolicy.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("allowSimulation");
  }

  @Test
  void rejectsEvidenceWithoutCollateralWithExitOne() throws IOException {
    CliRun r =
        CliRun.of(
            "attest", "verify", f("sgx/dcap-qvl/sgx_quote.bin"), "--at", "1752919277", "--json");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(json(r).get("error").get("code").asText()).isEqualTo("COLLATERAL_MISSING");
  }
}
