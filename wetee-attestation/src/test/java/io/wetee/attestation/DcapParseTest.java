package io.wetee.attestation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wetee.common.Hex;
import java.security.cert.X509Certificate;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every quote of expected.json → dcap_quotes parses to exactly the listed fields. */
class DcapParseTest {

  static Stream<String> quotes() {
    Iterator<String> it = Vectors.EXPECTED.get("dcap_quotes").fieldNames();
    Stream.Builder<String> b = Stream.builder();
    it.forEachRemaining(b::add);
    return b.build();
  }

  static byte[] quoteBytes(String file) {
    return EvidenceFormats.binary(Vectors.bytes(file));
  }

  @ParameterizedTest
  @MethodSource("quotes")
  void parsesHeaderAndSizesExactly(String file) {
    JsonNode e = Vectors.quote(file);
    byte[] bytes = quoteBytes(file);
    DcapQuote q = DcapQuote.parse(bytes);
    assertThat(bytes.length).isEqualTo(e.get("length").asInt());
    assertThat(q.version()).isEqualTo(e.get("version").asInt());
    assertThat(q.attestationKeyType()).isEqualTo(e.get("att_key_type").asInt());
    assertThat("0x" + Long.toHexString(q.teeType())).isEqualTo(e.get("tee_type").asText());
    assertThat(q.headerQeSvn()).isEqualTo(e.get("qe_svn").asInt());
    assertThat(q.headerPceSvn()).isEqualTo(e.get("pce_svn").asInt());
    assertThat(Hex.encode(q.qeVendorId())).isEqualTo(e.get("qe_vendor_id").asText());
    assertThat(Hex.encode(q.userData())).isEqualTo(e.get("user_data").asText());
    assertThat(q.signedBytes().length).isEqualTo(e.get("signed_length").asInt());
    assertThat(q.quoteLength() - q.signedBytes().length - 4)
        .isEqualTo(e.get("sig_data_len").asInt());
    assertThat(bytes.length - q.quoteLength())
        .isEqualTo(e.get("trailing_bytes_after_sig_data").asInt());
    assertThat(q.certDataType()).isEqualTo(e.get("cert_data_type").asInt());
    assertThat(q.qeAuthData().length).isEqualTo(e.get("qe_auth_data_len").asInt());
    String bodyType =
        switch (q.bodyType()) {
          case DcapQuote.BODY_SGX -> "sgx";
          case DcapQuote.BODY_TD10 -> "td10";
          default -> "td15";
        };
    assertThat(bodyType).isEqualTo(e.get("body_type").asText());
  }

  @ParameterizedTest
  @MethodSource("quotes")
  void parsesReportBodyAndQeReportExactly(String file) {
    JsonNode e = Vectors.quote(file);
    DcapQuote q = DcapQuote.parse(quoteBytes(file));
    JsonNode body = e.get("report_body");
    if (q.sgxBody() != null) {
      assertSgx(q.sgxBody(), body);
    } else {
      TdReportBody t = q.tdBody();
      Map<String, byte[]> fields =
          Map.ofEntries(
              Map.entry("tee_tcb_svn", t.teeTcbSvn()),
              Map.entry("mr_seam", t.mrSeam()),
              Map.entry("mr_signer_seam", t.mrSignerSeam()),
              Map.entry("seam_attributes", t.seamAttributes()),
              Map.entry("td_attributes", t.tdAttributes()),
              Map.entry("xfam", t.xfam()),
              Map.entry("mr_td", t.mrTd()),
              Map.entry("mr_config_id", t.mrConfigId()),
              Map.entry("mr_owner", t.mrOwner()),
              Map.entry("mr_owner_config", t.mrOwnerConfig()),
              Map.entry("rtmr0", t.rtmrs()[0]),
              Map.entry("rtmr1", t.rtmrs()[1]),
              Map.entry("rtmr2", t.rtmrs()[2]),
              Map.entry("rtmr3", t.rtmrs()[3]),
              Map.entry("report_data", t.reportData()));
      fields.forEach((k, v) -> assertThat(Hex.encode(v)).as(k).isEqualTo(body.get(k).asText()));
      if (t.v15()) {
        assertThat(Hex.encode(t.teeTcbSvn2())).isEqualTo(body.get("tee_tcb_svn2").asText());
        assertThat(Hex.encode(t.mrServiceTd())).isEqualTo(body.get("mr_servicetd").asText());
      }
    }
    assertSgx(q.qeReport(), e.get("qe_report"));
  }

  private static void assertSgx(SgxReportBody b, JsonNode e) {
    if (e.has("cpusvn")) {
      assertThat(Hex.encode(b.cpuSvn())).isEqualTo(e.get("cpusvn").asText());
    }
    assertThat(b.miscSelect()).isEqualTo(e.get("miscselect").asLong());
    assertThat(Hex.encode(b.attributes())).isEqualTo(e.get("attributes").asText());
    assertThat(Hex.encode(b.mrEnclave())).isEqualTo(e.get("mrenclave").asText());
    assertThat(Hex.encode(b.mrSigner())).isEqualTo(e.get("mrsigner").asText());
    assertThat(b.isvProdId()).isEqualTo(e.get("isvprodid").asInt());
    assertThat(b.isvSvn()).isEqualTo(e.get("isvsvn").asInt());
    assertThat(Hex.encode(b.reportData())).isEqualTo(e.get("report_data").asText());
  }

  @ParameterizedTest
  @MethodSource("quotes")
  void parsesPckCertificateExtensionsExactly(String file) {
    JsonNode e = Vectors.quote(file).get("pck");
    if (e == null) {
      return; // type 1: the PCK certificate is supplied separately
    }
    DcapQuote q = DcapQuote.parse(quoteBytes(file));
    List<X509Certificate> chain = Certs.parsePemChain(q.certData(), "cert_data");
    PckCert p = PckCert.of(chain.get(0));
    assertThat(Hex.encode(p.fmspc()).toUpperCase(Locale.ROOT)).isEqualTo(e.get("fmspc").asText());
    assertThat(Hex.encode(p.pceId())).isEqualTo(e.get("pceid").asText());
    assertThat(p.pceSvn()).isEqualTo(e.get("pcesvn").asInt());
    assertThat(Hex.encode(p.ppid())).isEqualTo(e.get("ppid").asText());
    int[] comps = new int[16];
    for (int i = 0; i < 16; i++) {
      comps[i] = e.get("sgx_tcb_components").get(i).asInt();
    }
    assertThat(p.components()).containsExactly(comps);
    assertThat(Certs.commonName(chain.get(1))).isEqualTo(e.get("issuer").asText());
    assertThat(chain.get(0).getSerialNumber().toString(16))
        .isEqualTo(e.get("leaf_serial_hex").asText());
  }
}
