package io.wetee.attestation;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.wetee.common.Hex;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KdsClientTest {
  @TempDir Path cache;

  @Test
  void buildsTheKdsUrlOfS1AsItsSourceDoes() {
    SnpReport r = SnpReport.parse(Vectors.bytes("sev-snp/go-sev-guest/attestation.bin"));
    String expected =
        Vectors.snpCase("S1")
            .get("expected")
            .get("kds_url_from_source")
            .asText()
            .replace("<chip_id hex>", Hex.encode(r.chipId()));
    assertThat(
            KdsClient.vcekUrl(KdsClient.AMD_KDS, "Milan", r.chipId(), r.reportedTcb()).toString())
        .isEqualTo(expected);
  }

  @Test
  void buildsTurinUrlsWithAnEightByteHwIdAndFmcSpl() {
    byte[] chip = new byte[64];
    chip[0] = 0x1e;
    long tcb = 0x0900000001020304L;
    assertThat(KdsClient.vcekUrl(KdsClient.AMD_KDS, "Turin", chip, tcb).toString())
        .isEqualTo(
            "https://kdsintf.amd.com/vcek/v1/Turin/1e00000000000000?fmcSPL=4&blSPL=3&teeSPL=2&snpSPL=1&ucodeSPL=9");
  }

  @Test
  void fetchesCachesAndVerifiesS1ThroughALoopbackKds() throws IOException {
    byte[] vcek = Vectors.bytes("sev-snp/go-sev-guest/vcek.der");
    AtomicInteger hits = new AtomicInteger();
    AtomicReference<String> path = new AtomicReference<>();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/vcek/v1/",
        ex -> {
          hits.incrementAndGet();
          path.set(ex.getRequestURI().toString());
          ex.sendResponseHeaders(200, vcek.length);
          ex.getResponseBody().write(vcek);
          ex.close();
        });
    server.start();
    try {
      URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
      KdsClient kds = new KdsClient(base, "Milan", Optional.of(cache), false);
      EvidenceVerifier v = EvidenceVerifier.builder().vekSource(kds).build();
      byte[] report = Vectors.bytes("sev-snp/go-sev-guest/attestation.bin");
      java.time.Instant at = Vectors.now(Vectors.snpCase("S1"));
      Policy debugOk = Policy.defaults().withAllowDebug(true);
      assertThat(v.verify(report, EvidenceType.AUTO, debugOk, at).isVerified()).isTrue();
      assertThat(v.verify(report, EvidenceType.AUTO, debugOk, at).isVerified()).isTrue();
      assertThat(hits.get()).isEqualTo(1);
      assertThat(path.get())
          .startsWith("/vcek/v1/Milan/3ac3fe21e13fb099")
          .endsWith("?blSPL=2&teeSPL=0&snpSPL=5&ucodeSPL=68");
      KdsClient offline = new KdsClient(base, "Milan", Optional.of(cache), true);
      assertThat(
              EvidenceVerifier.builder()
                  .vekSource(offline)
                  .build()
                  .verify(report, EvidenceType.AUTO, debugOk, at)
                  .isVerified())
          .isTrue();
      assertThat(hits.get()).isEqualTo(1);
    } finally {
      server.stop(0);
    }
  }
}
