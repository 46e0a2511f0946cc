package io.wetee.oci;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Fails a response body that delivers no bytes for longer than the idle timeout: a watchdog closes
 * the underlying stream, which wakes the blocked reader, and the reader sees a {@code
 * registry-error}. {@code java.net.http} request timeouts end when the headers arrive, so without
 * this a registry that stalls mid-blob would hold a pull forever.
 */
final class IdleTimeoutInputStream extends FilterInputStream {
  private static final ScheduledExecutorService WATCHDOG =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().daemon().name("wetee-oci-idle-watchdog").unstarted(r));

  private final Duration idle;
  private final String what;
  private final ScheduledFuture<?> check;
  private volatile long lastProgress = System.nanoTime();
  private volatile boolean timedOut;

  IdleTimeoutInputStream(InputStream in, Duration idle, String what) {
    super(in);
    this.idle = idle;
    this.what = what;
    long period = Math.max(idle.toMillis() / 4, 10);
    this.check = WATCHDOG.scheduleAtFixedRate(this::watch, period, period, TimeUnit.MILLISECONDS);
  }

  private void watch() {
    if (System.nanoTime() - lastProgress > idle.toNanos()) {
      timedOut = true;
      check.cancel(false);
      try {
        in.close();
      } catch (IOException e) {
        // the reader fails either way
      }
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n;
    try {
      n = in.read(b, off, len);
    } catch (IOException e) {
      if (timedOut) {
        throw stalled(e);
      }
      throw e;
    }
    if (timedOut) {
      throw stalled(null);
    }
    lastProgress = System.nanoTime();
    if (n < 0) {
      check.cancel(false);
    }
    return n;
  }

  private OciException stalled(IOException cause) {
    return new OciException(
        OciException.Reason.REGISTRY_ERROR,
        what + ": no data for " + idle.toMillis() + " ms, giving up",
        cause);
  }

  @Override
  public void close() throws IOException {
    check.cancel(false);
    super.close();
  }
}
