package io.wetee.agent;

import io.wetee.attestation.AttestationException;
import io.wetee.attestation.Evidence;
import io.wetee.attestation.EvidenceType;
import io.wetee.attestation.spi.EvidenceProvider;
import io.wetee.common.Hex;
import io.wetee.common.Json;
import io.wetee.common.Secret;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * SIMULATED evidence from the worker's {@link QuotingService}, as a real guest gets a quote from
 * its quoting service (DESIGN §3). One HTTP request per call; thread-safe. The answer must be a
 * SIMULATED report; checking it is the committee's job.
 */
final class RemoteQuoteProvider implements EvidenceProvider {
  private final HttpClient http;
  private final URI url;
  private final Secret token;
  private final Duration timeout;

  RemoteQuoteProvider(HttpClient http, URI url, Secret token, Duration timeout) {
    this.http = http;
    this.url = url;
    this.token = token;
    this.timeout = timeout;
  }

  @Override
  public Evidence collect(byte[] reportData) {
    try {
      byte[] body =
          Json.strict().writeValueAsBytes(new AgentProtocol.QuoteRequest(Hex.encode0x(reportData)));
      HttpRequest req =
          HttpRequest.newBuilder(url)
              .timeout(timeout)
              .header("Content-Type", "application/json")
              .header("Authorization", "Bearer " + new String(token.reveal()))
              .POST(HttpRequest.BodyPublishers.ofByteArray(body))
              .build();
      HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() != 200) {
        AgentProtocol.Problem p = Json.lenient().readValue(r.body(), AgentProtocol.Problem.class);
        throw new AttestationException(
            "quoting service answered " + r.statusCode() + " " + p.reason() + ": " + p.detail());
      }
      AgentProtocol.QuoteResponse q =
          Json.lenient().readValue(r.body(), AgentProtocol.QuoteResponse.class);
      if (!"SIMULATED".equals(q.type())) {
        throw new AttestationException("quoting service returned " + q.type() + " evidence");
      }
      return new Evidence(
          EvidenceType.SIMULATED,
          Hex.decode(q.evidence()),
          Hex.decode(q.auxiliary()),
          q.provider());
    } catch (IOException e) {
      throw new AttestationException("quoting service unreachable: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AttestationException("interrupted while asking the quoting service", e);
    }
  }
}
