package io.wetee.worker.proxy;

import com.sun.net.httpserver.HttpServer;
import io.wetee.worker.WorkerException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Gives each public port of a workload a stable URL ({@code http://127.0.0.1:PORT/}, one listener
 * per workload port) and forwards HTTP/1.1 to the port's current backend instance.
 *
 * <p><b>Stable URLs.</b> A workload port's proxy port is allocated once from the configured range
 * and persisted; {@link #expose} after a restart of the proxy (or the worker) listens on the same
 * port again.
 *
 * <p><b>Switching.</b> {@link #switchTo} replaces the backend atomically: every request accepted
 * before the switch completes on the old backend (its body streamed to the end), every request
 * after it goes to the new one, and none fails because of the switch. The returned {@link Drain}
 * completes when the old backend has nothing in flight; stop the old instance only then. The
 * intended update sequence is: start the new instance, wait until {@link
 * io.wetee.worker.HealthCheck} says it is healthy, switch, await the drain, stop the old instance.
 *
 * <p><b>Threading.</b> Thread-safe. Requests are served on virtual threads, one per request. {@link
 * #close} stops every listener (in-flight requests are cut) and keeps the assignments.
 */
public final class ReverseProxy implements AutoCloseable {
  private final ProxyConfig config;
  private final PortRegistry ports;
  private final HttpClient client;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Map<String, Listener> listeners = new ConcurrentHashMap<>();

  private record Listener(PublicEndpoint endpoint, Route route, HttpServer server) {}

  private ReverseProxy(ProxyConfig config) {
    this.config = config;
    this.ports = new PortRegistry(config);
    this.client = newClient();
  }

  /** A client to backends; the proxy's requests run on its virtual-thread executor. */
  private HttpClient newClient() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(config.connectTimeout())
        .followRedirects(HttpClient.Redirect.NEVER)
        .executor(executor)
        .build();
  }

  /** Opens the proxy; no listener runs until {@link #expose}. */
  public static ReverseProxy open(ProxyConfig config) {
    return new ReverseProxy(config);
  }

  /**
   * Listens for the workload's {@code port} on its stable proxy port (allocated on first use) and
   * answers the endpoint. Idempotent. Requests get 503 until {@link #switchTo} names a backend.
   *
   * @throws WorkerException when the range is exhausted or the assigned port is taken
   */
  public PublicEndpoint expose(String workloadId, int port) {
    String key = PortRegistry.key(workloadId, port);
    return listeners.computeIfAbsent(key, k -> listen(workloadId, port)).endpoint();
  }

  private Listener listen(String workloadId, int port) {
    int listenPort = ports.assign(workloadId, port);
    PublicEndpoint endpoint = new PublicEndpoint(workloadId, port, config.bindHost(), listenPort);
    Route route = new Route();
    try {
      InetAddress address = InetAddress.getByName(config.bindHost());
      HttpServer server = HttpServer.create(new InetSocketAddress(address, listenPort), 256);
      server.createContext("/", new Forwarder(workloadId, port, route, client, this::newClient));
      server.setExecutor(executor);
      server.start();
      return new Listener(endpoint, route, server);
    } catch (IOException e) {
      throw new WorkerException("cannot listen on " + endpoint.url() + " for " + workloadId, e);
    }
  }

  /** The endpoint of a workload port, if exposed now. */
  public Optional<PublicEndpoint> endpoint(String workloadId, int port) {
    return Optional.ofNullable(listeners.get(PortRegistry.key(workloadId, port)))
        .map(Listener::endpoint);
  }

  /** Every endpoint exposed now. */
  public List<PublicEndpoint> endpoints() {
    return new ArrayList<>(listeners.values().stream().map(Listener::endpoint).toList());
  }

  /** The backend requests to this workload port go to now. */
  public Optional<Backend> backend(String workloadId, int port) {
    return listener(workloadId, port).route().backend();
  }

  /**
   * Sends every new request of the workload port to {@code backend}; see the class comment for the
   * guarantees. Switching to the current backend changes nothing.
   *
   * @throws IllegalStateException when the port is not exposed
   */
  public Drain switchTo(String workloadId, int port, Backend backend) {
    return listener(workloadId, port).route().switchTo(backend);
  }

  /** Removes the backend: new requests get 503; in-flight ones complete. */
  public Drain clear(String workloadId, int port) {
    return listener(workloadId, port).route().switchTo(null);
  }

  /** Stops listening for the workload port and gives its proxy port back to the range. */
  public void unexpose(String workloadId, int port) {
    Listener listener = listeners.remove(PortRegistry.key(workloadId, port));
    if (listener != null) {
      listener.server().stop(0);
    }
    ports.release(workloadId, port);
  }

  private Listener listener(String workloadId, int port) {
    Listener listener = listeners.get(PortRegistry.key(workloadId, port));
    if (listener == null) {
      throw new IllegalStateException(workloadId + " port " + port + " is not exposed");
    }
    return listener;
  }

  /** Stops every listener; the port assignments stay for the next proxy. */
  @Override
  public void close() {
    listeners.values().forEach(l -> l.server().stop(0));
    listeners.clear();
    client.close();
    executor.shutdownNow();
  }
}
