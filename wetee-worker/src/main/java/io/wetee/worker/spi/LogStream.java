package io.wetee.worker.spi;

/** One of an instance's two captured output streams. */
public enum LogStream {
  STDOUT,
  STDERR
}
