package io.wetee.worker.proxy;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of the reverse proxy.
 *
 * @param stateFile where public port assignments are persisted (JSON, replaced atomically)
 * @param bindHost the address listeners bind to ({@code 127.0.0.1} on a devnet)
 * @param portFrom first port of the range public ports are allocated from
 * @param portTo last port of the range (inclusive)
 * @param connectTimeout how long to wait for a backend to accept a connection
 */
public record ProxyConfig(
    Path stateFile, String bindHost, int portFrom, int portTo, Duration connectTimeout) {

  public ProxyConfig {
    if (portFrom < 1 || portTo > 65535 || portFrom > portTo) {
      throw new IllegalArgumentException("invalid port range " + portFrom + "-" + portTo);
    }
    stateFile = stateFile.toAbsolutePath().normalize();
  }

  /** Loopback, ports 20000 to 20999, 2 s connect timeout. */
  public static ProxyConfig defaults(Path stateFile) {
    return new ProxyConfig(stateFile, "127.0.0.1", 20_000, 20_999, Duration.ofSeconds(2));
  }

  public ProxyConfig withPorts(int from, int to) {
    return new ProxyConfig(stateFile, bindHost, from, to, connectTimeout);
  }
}
