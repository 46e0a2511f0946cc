package io.wetee.attestation;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.wetee.attestation.spi.CollateralRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PCS client against a real HTTP server on loopback serving go-tdx-guest's PCS responses. */
class PcsClientTest {
  static final Instant AT = Instant.ofEpochSecond(1688173200L); // D8's pinned time
  static final String FMSPC = "50806F000000";
  static final Policy ANY =
      Policy.defaults().withAllowDebug(true).withAcceptedTcbStatuses(List.of(TcbStatus.values()));

  @TempDir Path cache;
  HttpServer server;
  URI base;
  final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    String tcbChain = enc("tdx/go-tdx-guest/tcb_info_issuer_chain.pem");
    serve(
        "/tdx/certification/v4/tcb",
        "tdx/go-tdx-guest/sample_tcbInfo_response.json",
        "TCB-Info-Issuer-Chain",
        tcbChain);
    serve(
        "/tdx/certification/v4/qe/identity",
        "tdx/go-tdx-guest/sample_qeIdentity_response.json",
        "SGX-Enclave-Identity-Issuer-Chain",
        tcbChain);
    serve(
        "/sgx/certification/v4/pckcrl",
        "tdx/go-tdx-guest/pckcrl.der",
        "SGX-PCK-CRL-Issuer-Chain",
        enc("tdx/go-tdx-guest/pck_crl_issuer_chain.pem"));
    serve("/rootcacrl", "tdx/go-tdx-guest/rootcrl.der", "X-Unused", "");
    server.start();
    base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private static String enc(String file) {
    return URLEncoder.encode(
        new String(Vectors.bytes(file), StandardCharsets.US_ASCII), StandardCharsets.UTF_8);
  }

  private void serve(String path, String file, String header, String value) {
    byte[] body = Vectors.bytes(file);
    server.createContext(
        path,
        (HttpExchange ex) -> {
          String q = ex.getRequestURI().getQuery();
          hits.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
          boolean wrongFmspc =
              q != null && q.startsWith("fmspc=") && !q.equalsIgnoreCase("fmspc=" + FMSPC);
          ex.getResponseHeaders().add(header, value);
          ex.sendResponseHeaders(wrongFmspc ? 404 : 200, wrongFmspc ? -1 : body.length);
          if (!wrongFmspc) {
            ex.getResponseBody().write(body);
          }
          ex.close();
        });
  }

  PcsClient client(boolean offline, Instant now) {
    return PcsClient.builder()
        .baseUrl(base)
        .rootCrlUrl(base.resolve("/rootcacrl"))
        .cacheDir(cache)
        .offline(offline)
        .clock(Clock.fixed(now, ZoneOffset.UTC))
        .build();
  }

  VerificationResult verifyD8(PcsClient pcs) {
    return EvidenceVerifier.builder()
        .collateral(pcs)
        .build()
        .verify(
            Vectors.bytes("tdx/go-tdx-guest/tdx_prod_quote_SPR_E4.dat"), EvidenceType.TDX, ANY, AT);
  }

  @Test
  void fetchesPcsV4CollateralAndVerifiesD8LikeTheFiles() {
    VerificationResult r = verifyD8(client(false, AT));
    assertThat(r).isInstanceOf(Rejected.class);
    assertThat(((Rejected) r).reason()).isEqualTo(RejectReason.TCB_LEVEL_NOT_FOUND);
    assertThat(hits.get("/tdx/certification/v4/tcb").get()).isEqualTo(1);
    assertThat(Files.exists(cache.resolve("tdx-" + FMSPC + "-platform.json"))).isTrue();
  }

  @Test
  void servesFreshCollateralFromMemoryAndDiskWithoutRefetching() {
    PcsClient online = client(false, AT);
    CollateralRequest req = new CollateralRequest(TeeType.TDX, FMSPC, "platform");
    DcapCollateral first = online.collateral(req).orElseThrow();
    assertThat(online.collateral(req)).containsSame(first);
    PcsClient offline = client(true, AT);
    assertThat(offline.collateral(req)).isPresent();
    assertThat(verifyD8(offline)).isEqualTo(verifyD8(online));
    assertThat(hits.get("/tdx/certification/v4/tcb").get()).isEqualTo(1);
  }

  @Test
  void refetchesStaleCollateralWhenOnline() {
    CollateralRequest req = new CollateralRequest(TeeType.TDX, FMSPC, "platform");
    assertThat(client(false, AT).collateral(req)).isPresent();
    assertThat(client(false, Instant.parse("2023-07-30T00:00:00Z")).collateral(req)).isPresent();
    assertThat(hits.get("/tdx/certification/v4/tcb").get()).isEqualTo(2);
  }

  @Test
  void neverTouchesTheNetworkOffline() {
    CollateralRequest req = new CollateralRequest(TeeType.TDX, FMSPC, "platform");
    assertThat(client(true, AT).collateral(req)).isEmpty();
    assertThat(hits).isEmpty();
    VerificationResult r = verifyD8(client(true, AT));
    assertThat(((Rejected) r).reason()).isEqualTo(RejectReason.COLLATERAL_MISSING);
  }

  @Test
  void reportsAnUnknownFmspcAsNoCollateral() {
    CollateralRequest req = new CollateralRequest(TeeType.TDX, "00A067110000", "platform");
    assertThat(client(false, AT).collateral(req)).isEmpty();
  }

  @Test
  void decodesCrlBodiesInDerPemAndHex() {
    byte[] der = Vectors.bytes("tdx/go-tdx-guest/rootcrl.der");
    String b64 = java.util.Base64.getMimeEncoder().encodeToString(der);
    byte[] pem =
        ("-----BEGIN X509 CRL-----\n" + b64 + "\n-----END X509 CRL-----\n")
            .getBytes(StandardCharsets.US_ASCII);
    assertThat(PcsClient.der(der)).isEqualTo(der);
    assertThat(PcsClient.der(pem)).isEqualTo(der);
    assertThat(PcsClient.der(io.wetee.common.Hex.encode(der).getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo(der);
  }
}
