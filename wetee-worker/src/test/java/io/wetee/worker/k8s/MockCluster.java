package io.wetee.worker.k8s;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;

/**
 * The fabric8 mock API server in CRUD mode and a client of it, for one test; what
 * {@code @EnableKubernetesMockClient(crud = true)} sets up, with a teardown that does not fail the
 * test on a race inside the mock server's own shutdown.
 *
 * <p>Why not the annotation: in fabric8 7.4.0, {@code MockWebServer.shutdown()} closes its HTTP
 * server, lets a listener on that close call {@code vertx.close()}, and then registers a second
 * listener on the same (completed) close future from the test thread. When the first listener has
 * already terminated the event loop, the second registration throws {@code
 * RejectedExecutionException: event executor terminated} out of the extension's afterEach, and the
 * test that just passed is reported as an error (fabric8io/kubernetes-client#7747, fixed in 7.7.0).
 * The annotation gives no way to handle that, so the tests own the server's life here.
 */
final class MockCluster implements AutoCloseable {
  final KubernetesMockServer server;
  final KubernetesClient client;

  private MockCluster(KubernetesMockServer server, KubernetesClient client) {
    this.server = server;
    this.client = client;
  }

  /** Starts a mock API server on a free loopback port, over plain HTTP, in CRUD mode. */
  static MockCluster start() {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(Serialization.jsonMapper()),
            new MockWebServer(),
            responses,
            new KubernetesMixedDispatcher(responses),
            false);
    server.init();
    return new MockCluster(server, server.createClient());
  }

  /** Closes the client (its watches end first), then the server. */
  @Override
  public void close() {
    client.close();
    String host = server.getHostName();
    int port = server.getPort();
    try {
      server.destroy();
    } catch (RejectedExecutionException e) {
      // fabric8io/kubernetes-client#7747 (see the class comment): the rejection comes after the
      // HTTP server closed and after vertx.close() was called. Accept it only if the port is
      // really closed; anything else is a real teardown failure.
      if (listening(host, port)) {
        throw e;
      }
    }
  }

  private static boolean listening(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 1000);
      return true;
    } catch (ConnectException e) {
      return false;
    } catch (IOException e) {
      return true; // neither accepted nor refused: not known to be closed
    }
  }
}
