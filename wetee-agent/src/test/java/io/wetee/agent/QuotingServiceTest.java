package io.wetee.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javalin.Javalin;
import io.wetee.attestation.AttestationException;
import io.wetee.attestation.Evidence;
import io.wetee.attestation.EvidenceType;
import io.wetee.attestation.EvidenceVerifier;
import io.wetee.attestation.Policy;
import io.wetee.attestation.SimulatedPlatform;
import io.wetee.attestation.TeeType;
import io.wetee.attestation.VerificationResult;
import io.wetee.attestation.Verified;
import io.wetee.common.Secret;
import io.wetee.crypto.Bytes32;
import io.wetee.crypto.Keccak;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The worker's quoting service and the agent's provider over real HTTP on loopback. */
class QuotingServiceTest {
  final SecureRandom rnd = new SecureRandom();
  final SimulatedPlatform platform = SimulatedPlatform.generate(rnd);
  final QuotingService service = new QuotingService(platform, Clock.systemUTC(), rnd);
  final HttpClient http = HttpClient.newHttpClient();
  Javalin app;
  URI url;

  @BeforeEach
  void serve() {
    app = Javalin.create(c -> c.showJavalinBanner = false);
    service.routes(app);
    app.start("127.0.0.1", 0);
    url = URI.create("http://127.0.0.1:" + app.port() + QuotingService.PATH);
  }

  @AfterEach
  void stop() {
    app.stop();
  }

  private RemoteQuoteProvider provider(String token) {
    return new RemoteQuoteProvider(http, url, Secret.of(token), Duration.ofSeconds(5));
  }

  @Test
  void issuesAReportOverTheRegisteredMeasurementThatVerifiesAsSimulated() {
    byte[] spec = "{\"name\":\"hello\"}".getBytes(StandardCharsets.UTF_8);
    Bytes32 measurement = QuotingService.measurementOf(spec);
    assertThat(measurement).isEqualTo(Keccak.hash(spec));
    String token = service.register(measurement);
    byte[] reportData = new byte[64];
    rnd.nextBytes(reportData);

    Evidence e = provider(token).collect(reportData);

    assertThat(e.type()).isEqualTo(EvidenceType.SIMULATED);
    VerificationResult r =
        EvidenceVerifier.builder()
            .build()
            .verify(e.bytes(), EvidenceType.AUTO, Policy.defaults().withAllowSimulated(true));
    assertThat(r).isInstanceOf(Verified.class);
    Verified v = (Verified) r;
    assertThat(v.teeType()).isEqualTo(TeeType.SIMULATED);
    assertThat(v.reportData()).isEqualTo(reportData);
    assertThat(v.measurement("measurement").orElseThrow()).isEqualTo(measurement.toBytes());
    assertThat(v.platformId()).isEqualTo(platform.publicKey());
    assertThat(v.debug()).isFalse();
  }

  @Test
  void refusesAnUnknownOrUnregisteredTokenAndMalformedReportData() {
    String token = service.register(Bytes32.ZERO);
    service.unregister(token);
    assertThatThrownBy(() -> provider(token).collect(new byte[64]))
        .isInstanceOf(AttestationException.class)
        .hasMessageContaining("401 unknown-instance");
    String live = service.register(Bytes32.ZERO);
    assertThatThrownBy(() -> provider(live).collect(new byte[32]))
        .hasMessageContaining("400 bad-request");
    assertThat(service.quote(live, new byte[64])).isInstanceOf(QuotingService.Quote.Issued.class);
  }

  @Test
  void reportsAnUnreachableQuotingServiceAsAnAttestationFailure() {
    app.stop();
    assertThatThrownBy(() -> provider("x").collect(new byte[64]))
        .isInstanceOf(AttestationException.class)
        .hasMessageStartingWith("quoting service unreachable");
  }
}
