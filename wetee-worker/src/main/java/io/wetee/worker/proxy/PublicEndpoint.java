package io.wetee.worker.proxy;

import java.net.URI;

/**
 * The stable address of one public port of a workload.
 *
 * @param workloadId the workload
 * @param port the program port it fronts (as declared in the spec)
 * @param host the address the listener is bound to
 * @param listenPort the proxy port; stays the same across proxy and worker restarts
 */
public record PublicEndpoint(String workloadId, int port, String host, int listenPort) {

  /** {@code http://HOST:LISTENPORT/}. */
  public URI url() {
    return URI.create("http://" + host + ":" + listenPort + "/");
  }
}
