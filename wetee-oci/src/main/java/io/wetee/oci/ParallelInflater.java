package io.wetee.oci;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads a decompressing stream on a thread of its own, handing chunks to the reader through a small
 * bounded queue, so that inflating a layer and writing its files run on two cores. Errors of the
 * source are rethrown to the reader as they were. {@link #close()} stops the thread; it does not
 * close the source's underlying stream, which its owner closes after this one.
 */
final class ParallelInflater extends InputStream {
  private static final int CHUNK = 1 << 20;
  private static final int DEPTH = 8;
  private static final Object END = new Object();

  private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(DEPTH);
  private final Thread pump;
  private volatile boolean closed;
  private byte[] current = new byte[0];
  private int position;
  private boolean ended;

  ParallelInflater(InputStream source) {
    this.pump = Thread.ofPlatform().daemon().name("wetee-oci-inflate").start(() -> pump(source));
  }

  private void pump(InputStream source) {
    try {
      while (!closed) {
        byte[] chunk = source.readNBytes(CHUNK);
        if (chunk.length == 0) {
          hand(END);
          return;
        }
        hand(chunk);
      }
    } catch (IOException | RuntimeException e) {
      hand(e);
    }
  }

  private void hand(Object item) {
    try {
      while (!closed && !queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
        // the reader is busy writing files; wait unless it closed
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (!fill()) {
      return -1;
    }
    int n = Math.min(len, current.length - position);
    System.arraycopy(current, position, b, off, n);
    position += n;
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    if (n <= 0 || !fill()) {
      return 0;
    }
    int skipped = (int) Math.min(n, current.length - position);
    position += skipped;
    return skipped;
  }

  /** Makes bytes available in {@code current}; false at the end of the stream. */
  private boolean fill() throws IOException {
    while (position == current.length) {
      if (ended) {
        return false;
      }
      Object item;
      try {
        item = queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted while inflating a layer");
      }
      if (item == END) {
        ended = true;
        return false;
      }
      if (item instanceof IOException e) {
        throw e;
      }
      if (item instanceof RuntimeException e) {
        throw e;
      }
      current = (byte[]) item;
      position = 0;
    }
    return true;
  }

  @Override
  public void close() {
    closed = true;
    queue.clear();
    try {
      // The pump notices within one chunk; joining keeps it from reading a closed source.
      pump.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
