package io.wetee.worker.proxy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** Clients that GET a URL in a loop and count every answer that is not a 200. */
public final class LoadLoop {
  /** What the clients saw. */
  public record Result(int total, int failures, String firstFailure, Map<String, Integer> bodies) {}

  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicInteger total = new AtomicInteger();
  private final AtomicInteger failures = new AtomicInteger();
  private final AtomicReference<String> firstFailure = new AtomicReference<>("none");
  private final Map<String, Integer> bodies = new ConcurrentHashMap<>();
  private final List<Thread> threads = new ArrayList<>();

  private LoadLoop() {}

  /** Starts {@code clients} loops, each with its own keep-alive HTTP client. */
  public static LoadLoop start(URI url, int clients) {
    LoadLoop loop = new LoadLoop();
    for (int i = 0; i < clients; i++) {
      loop.threads.add(Thread.ofVirtual().start(() -> loop.run(url)));
    }
    return loop;
  }

  private void run(URI url) {
    try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
      HttpRequest request = HttpRequest.newBuilder(url).build();
      while (running.get()) {
        total.incrementAndGet();
        try {
          HttpResponse<String> response =
              client.send(request, HttpResponse.BodyHandlers.ofString());
          if (response.statusCode() == 200) {
            bodies.merge(response.body().trim(), 1, Integer::sum);
          } else {
            fail(response.statusCode() + " " + response.body());
          }
        } catch (Exception e) {
          fail(e.toString());
        }
      }
    }
  }

  private void fail(String what) {
    failures.incrementAndGet();
    firstFailure.compareAndSet("none", what);
  }

  /** Stops the clients, waits for their last request, and answers the counts. */
  public Result stop() throws InterruptedException {
    running.set(false);
    for (Thread t : threads) {
      t.join();
    }
    return new Result(total.get(), failures.get(), firstFailure.get(), Map.copyOf(bodies));
  }

  /** Requests answered with {@code body} so far. */
  public int count(String body) {
    return bodies.getOrDefault(body, 0);
  }
}
