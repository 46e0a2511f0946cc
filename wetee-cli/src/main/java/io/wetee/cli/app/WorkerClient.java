package io.wetee.cli.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.wetee.chain.ChainClient;
import io.wetee.chain.ChainException;
import io.wetee.common.Json;
import io.wetee.crypto.PrivateKey;
import io.wetee.worker.node.OwnerRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Talks to the worker that runs a workload, at the endpoint it registered on Subnet: public status
 * and attestation, and owner-signed logs and metrics ({@link OwnerRequest}).
 */
final class WorkerClient {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private final String endpoint;

  private WorkerClient(String endpoint) {
    this.endpoint =
        endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
  }

  static WorkerClient of(ChainClient chain, long workerId) {
    return new WorkerClient(chain.subnet().worker(workerId).endpoint());
  }

  /** The worker's status of the workload, when the worker answers. */
  Optional<JsonNode> status(long workloadId) {
    try {
      return Optional.of(get("/v1/workloads/" + workloadId, Optional.empty()));
    } catch (ChainException e) {
      return Optional.empty();
    }
  }

  JsonNode attestation(long workloadId) {
    return get("/v1/workloads/" + workloadId + "/attestation", Optional.empty());
  }

  /** An owner-signed GET of {@code logs} or {@code metrics}. */
  JsonNode owned(long workloadId, String what, long since, PrivateKey owner) {
    return get("/v1/workloads/" + workloadId + "/" + what + "?since=" + since, Optional.of(owner));
  }

  private JsonNode get(String pathAndQuery, Optional<PrivateKey> key) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(endpoint + pathAndQuery))
            .timeout(Duration.ofSeconds(10))
            .GET();
    if (key.isPresent()) {
      long now = Instant.now().getEpochSecond();
      b.header(OwnerRequest.TIMESTAMP, Long.toString(now))
          .header(OwnerRequest.SIGNATURE, OwnerRequest.sign(key.get(), "GET", pathAndQuery, now));
    }
    try {
      HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      JsonNode body = Json.lenient().readTree(r.body());
      if (r.statusCode() != 200) {
        throw new ChainException(
            "the worker at "
                + endpoint
                + " answered "
                + r.statusCode()
                + ": "
                + body.path("reason").asText()
                + " "
                + body.path("detail").asText());
      }
      return body;
    } catch (IOException e) {
      throw new ChainException("cannot reach the worker at " + endpoint + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ChainException("interrupted", e);
    }
  }
}
