package io.wetee.cli.devnet;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An HTTP client that GETs one URL in a loop on a virtual thread, as a user would during an update:
 * counts answers that are 200, those that are not (or fail), the 200s whose body starts with a
 * marker (the new version), and keeps the first failure.
 */
final class RequestLoop implements AutoCloseable {
  final AtomicInteger ok = new AtomicInteger();
  final AtomicInteger failed = new AtomicInteger();
  final AtomicInteger marked = new AtomicInteger();
  final AtomicReference<String> firstFailure = new AtomicReference<>();
  private final Thread thread;

  private RequestLoop(HttpClient http, String url, String marker) {
    thread =
        Thread.ofVirtual()
            .start(
                () -> {
                  while (!Thread.currentThread().isInterrupted()) {
                    try {
                      HttpResponse<String> r =
                          http.send(
                              HttpRequest.newBuilder(URI.create(url))
                                  .timeout(Duration.ofSeconds(5))
                                  .build(),
                              HttpResponse.BodyHandlers.ofString());
                      if (r.statusCode() == 200) {
                        ok.incrementAndGet();
                        if (r.body().startsWith(marker)) {
                          marked.incrementAndGet();
                        }
                      } else {
                        failed.incrementAndGet();
                        firstFailure.compareAndSet(null, r.statusCode() + " " + r.body());
                      }
                    } catch (InterruptedException e) {
                      return;
                    } catch (Exception e) {
                      failed.incrementAndGet();
                      firstFailure.compareAndSet(null, e.toString());
                    }
                  }
                });
  }

  /** Starts looping on {@code url}; {@code marker} is how the new version's body starts. */
  static RequestLoop start(HttpClient http, String url, String marker) {
    return new RequestLoop(http, url, marker);
  }

  /** Stops the loop and waits for its last request. */
  @Override
  public void close() throws InterruptedException {
    thread.interrupt();
    thread.join();
  }
}
