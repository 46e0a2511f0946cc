package io.wetee.worker;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * HTTP GET probes of an instance's health path (the spec's {@code health.http}), used before the
 * proxy switches traffic to a new instance. A probe succeeds on a status from 200 to 399 within
 * {@code timeout}; the body is read and discarded. Immutable and thread-safe; the methods block
 * (call them from a virtual thread).
 *
 * @param client the HTTP client (redirects are not followed: a 3xx counts as healthy)
 * @param url the probe URL, for example {@code http://127.0.0.1:41234/health}
 * @param interval pause between probes of {@link #awaitHealthy}
 * @param timeout limit of one probe
 */
public record HealthCheck(HttpClient client, URI url, Duration interval, Duration timeout) {

  /** Probes {@code url} every 100 ms with a 2 s probe timeout. */
  public static HealthCheck http(URI url) {
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    return new HealthCheck(client, url, Duration.ofMillis(100), Duration.ofSeconds(2));
  }

  /** The same check with another pause between probes. */
  public HealthCheck withInterval(Duration value) {
    return new HealthCheck(client, url, value, timeout);
  }

  /** One probe. */
  public HealthResult probe() {
    long start = System.nanoTime();
    return attempt(1, start);
  }

  /** Probes until one succeeds or {@code deadline} has passed; answers the last outcome. */
  public HealthResult awaitHealthy(Duration deadline) {
    long start = System.nanoTime();
    long end = start + deadline.toNanos();
    for (int attempt = 1; ; attempt++) {
      HealthResult result = attempt(attempt, start);
      if (result instanceof HealthResult.Healthy || System.nanoTime() + interval.toNanos() > end) {
        return result;
      }
      try {
        Thread.sleep(interval);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return result;
      }
    }
  }

  private HealthResult attempt(int attempt, long start) {
    HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).GET().build();
    try {
      HttpResponse<InputStream> response =
          client.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = response.body()) {
        body.transferTo(java.io.OutputStream.nullOutputStream());
      }
      int status = response.statusCode();
      if (status >= 200 && status < 400) {
        return new HealthResult.Healthy(status, attempt, since(start));
      }
      return unhealthy(HealthResult.Reason.BAD_STATUS, "status " + status, attempt, start);
    } catch (ConnectException e) {
      return unhealthy(HealthResult.Reason.CONNECTION_REFUSED, e.toString(), attempt, start);
    } catch (HttpTimeoutException e) {
      return unhealthy(HealthResult.Reason.TIMEOUT, e.toString(), attempt, start);
    } catch (IOException e) {
      return unhealthy(HealthResult.Reason.IO_ERROR, e.toString(), attempt, start);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return unhealthy(HealthResult.Reason.IO_ERROR, "interrupted", attempt, start);
    }
  }

  private static HealthResult unhealthy(
      HealthResult.Reason reason, String detail, int attempt, long start) {
    return new HealthResult.Unhealthy(reason, detail, attempt, since(start));
  }

  private static Duration since(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }
}
