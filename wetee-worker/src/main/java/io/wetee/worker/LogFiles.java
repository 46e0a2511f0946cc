package io.wetee.worker;

import io.wetee.worker.spi.Subscription;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/** Rotation, tail and follow of the per-instance log files. */
final class LogFiles {
  /*
   * Design notes: the program's stdout and stderr are files opened with O_APPEND by the worker and
   * inherited by the supervisor and the sandbox, not pipes: a pipe would break (SIGPIPE) when the
   * worker dies, and instances must outlive the worker. The cost is that the worker cannot reopen
   * the writer's descriptor, so rotation is copy-then-truncate: the file is copied to NAME.1 (older
   * copies shift up to NAME.<files>) and truncated to 0; O_APPEND makes the next write land at the
   * new end. Lines written between the copy and the truncation are lost, and a file may exceed the
   * cap by what the program writes between two checks (about a second). Followers notice the
   * truncation (size below their position) and continue from the start.
   */

  private static final Duration FOLLOW_POLL = Duration.ofMillis(100);

  private LogFiles() {}

  /** Rotates {@code log} when it is larger than {@code maxBytes}, keeping {@code files} copies. */
  static void rotateIfLarger(Path log, long maxBytes, int files) throws IOException {
    long size;
    try {
      size = Files.size(log);
    } catch (NoSuchFileException e) {
      return;
    }
    if (size <= maxBytes) {
      return;
    }
    for (int i = files - 1; i >= 1; i--) {
      Path older = numbered(log, i);
      if (Files.exists(older)) {
        Files.move(older, numbered(log, i + 1), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Files.copy(log, numbered(log, 1), StandardCopyOption.REPLACE_EXISTING);
    try (FileChannel channel = FileChannel.open(log, StandardOpenOption.WRITE)) {
      channel.truncate(0);
    }
  }

  static Path numbered(Path log, int n) {
    return log.resolveSibling(log.getFileName() + "." + n);
  }

  /** The last {@code maxBytes} of {@code log} as text (malformed UTF-8 replaced). */
  static String tail(Path log, int maxBytes) {
    try (FileChannel channel = FileChannel.open(log, StandardOpenOption.READ)) {
      long size = channel.size();
      long from = Math.max(0, size - maxBytes);
      ByteBuffer buffer = ByteBuffer.allocate((int) (size - from));
      while (buffer.hasRemaining() && channel.read(buffer, from + buffer.position()) > 0) {
        // keep reading until the snapshot size is filled
      }
      return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return "";
    } catch (IOException e) {
      throw new WorkerException("cannot read " + log, e);
    }
  }

  /** Delivers each complete line appended to {@code log} from now on, on a virtual thread. */
  static Subscription follow(Path log, Consumer<String> lines) {
    AtomicBoolean open = new AtomicBoolean(true);
    long start = sizeOrZero(log);
    Thread thread =
        Thread.ofVirtual()
            .name("log-follow-" + log.getFileName())
            .start(() -> followLoop(log, start, lines, open));
    return () -> {
      open.set(false);
      thread.interrupt();
    };
  }

  private static void followLoop(Path log, long start, Consumer<String> lines, AtomicBoolean open) {
    long position = start;
    ByteArrayOutputStream partial = new ByteArrayOutputStream();
    while (open.get()) {
      long size = sizeOrZero(log);
      if (size < position) {
        position = 0; // rotated (truncated)
      }
      if (size > position) {
        byte[] chunk = read(log, position, size);
        position += chunk.length;
        emitLines(partial, chunk, lines);
      }
      try {
        Thread.sleep(FOLLOW_POLL);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  // Lines are split on bytes, not chars, so a UTF-8 sequence cut by a read is never mangled.
  private static void emitLines(
      ByteArrayOutputStream partial, byte[] chunk, Consumer<String> lines) {
    int from = 0;
    for (int i = 0; i < chunk.length; i++) {
      if (chunk[i] == '\n') {
        partial.write(chunk, from, i - from);
        lines.accept(partial.toString(StandardCharsets.UTF_8));
        partial.reset();
        from = i + 1;
      }
    }
    partial.write(chunk, from, chunk.length - from);
  }

  private static byte[] read(Path log, long from, long to) {
    try (FileChannel channel = FileChannel.open(log, StandardOpenOption.READ)) {
      ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(to - from, 1 << 20));
      int n = Math.max(0, channel.read(buffer, from));
      return java.util.Arrays.copyOf(buffer.array(), n);
    } catch (IOException e) {
      return new byte[0];
    }
  }

  private static long sizeOrZero(Path log) {
    try {
      return Files.size(log);
    } catch (IOException e) {
      return 0;
    }
  }
}
