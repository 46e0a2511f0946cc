package io.wetee.worker.spi;

/** A registration (listener, log follower) that ends when closed. Closing twice is harmless. */
public interface Subscription extends AutoCloseable {
  @Override
  void close();
}
