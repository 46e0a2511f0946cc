package io.wetee.worker.proxy;

import java.net.URI;

/** Where a workload port's traffic currently goes: one instance's host port. */
public record Backend(String host, int port) {

  public Backend {
    if (host == null || host.isBlank() || port < 1 || port > 65535) {
      throw new IllegalArgumentException("invalid backend " + host + ":" + port);
    }
  }

  /** The instance port {@code port} on 127.0.0.1. */
  public static Backend loopback(int port) {
    return new Backend("127.0.0.1", port);
  }

  public URI uri() {
    return URI.create("http://" + host + ":" + port);
  }
}
