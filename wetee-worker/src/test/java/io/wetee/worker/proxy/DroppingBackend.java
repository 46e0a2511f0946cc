package io.wetee.worker.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend that closes idle keep-alive connections the way a server with a short keep-alive
 * timeout (or an HTTP/1.0 server such as Python's {@code http.server}) does, at the worst moment:
 * it answers the first request of each connection, keeps the connection open, and drops it without
 * an answer when a second request arrives on it. The first {@code concurrent} connections are
 * answered together, so the caller's connection pool holds that many idle connections.
 */
final class DroppingBackend implements AutoCloseable {
  private final ServerSocket server;
  private final CountDownLatch together;
  private final AtomicInteger answered = new AtomicInteger();
  private final AtomicInteger dropped = new AtomicInteger();

  private DroppingBackend(int concurrent) throws IOException {
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.together = new CountDownLatch(concurrent);
    Thread.ofVirtual().start(this::accept);
  }

  static DroppingBackend start(int concurrent) throws IOException {
    return new DroppingBackend(concurrent);
  }

  Backend backend() {
    return Backend.loopback(server.getLocalPort());
  }

  /** Requests answered (one per connection). */
  int answered() {
    return answered.get();
  }

  /** Requests that arrived on a reused connection and were dropped unanswered. */
  int dropped() {
    return dropped.get();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        Thread.ofVirtual().start(() -> serve(s));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = socket.getInputStream();
      if (!readRequest(in)) {
        return;
      }
      together.countDown();
      together.await(10, TimeUnit.SECONDS);
      OutputStream out = socket.getOutputStream();
      out.write(
          "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      answered.incrementAndGet();
      if (readRequest(in)) {
        dropped.incrementAndGet(); // closed by try-with-resources, no answer
      }
    } catch (IOException e) {
      // the client went away
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Reads one bodiless request's head; false at the end of the stream. */
  private static boolean readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      head.write(b);
      if (head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
