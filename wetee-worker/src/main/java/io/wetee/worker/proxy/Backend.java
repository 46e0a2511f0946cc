package io.wetee.worker.proxy;

import java.net.URI;

/**
 * Where a workload port's traffic currently goes: one instance's address and port (the address the
 * runtime reports for the instance: loopback for the local runtime, the pod's IP on Kubernetes),
 * and the port of its agent's control API ({@code attestationPort}, 0 for none) at the same
 * address, which answers {@link #ATTESTATION_PATH} for the instance: anyone can fetch the
 * attestation at the service's own URL.
 */
public record Backend(String host, int port, int attestationPort) {
  /** The one path the proxy sends to the agent instead of the program (DESIGN §2, agent). */
  public static final String ATTESTATION_PATH = "/.well-known/wetee/attestation";

  public Backend {
    if (host == null || host.isBlank() || port < 1 || port > 65535) {
      throw new IllegalArgumentException("invalid backend " + host + ":" + port);
    }
    if (attestationPort < 0 || attestationPort > 65535) {
      throw new IllegalArgumentException("invalid attestation port " + attestationPort);
    }
  }

  /** A backend without an agent: every path goes to {@code host:port}. */
  public Backend(String host, int port) {
    this(host, port, 0);
  }

  /** The instance port {@code port} on 127.0.0.1 (an instance of the worker's own host). */
  public static Backend loopback(int port) {
    return new Backend("127.0.0.1", port);
  }

  /** The same backend whose agent serves {@link #ATTESTATION_PATH} on {@code agentPort}. */
  public Backend withAttestation(int agentPort) {
    return new Backend(host, port, agentPort);
  }

  public URI uri() {
    return URI.create("http://" + hostPart() + ":" + port);
  }

  /** Where a request for {@code path} goes: the agent for the attestation, else the program. */
  public URI uriFor(String path) {
    return attestationPort > 0 && ATTESTATION_PATH.equals(path)
        ? URI.create("http://" + hostPart() + ":" + attestationPort)
        : uri();
  }

  /** The host as a URL's host part (an IPv6 address in brackets). */
  private String hostPart() {
    return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
  }
}
