package io.wetee.oci;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Named locks that exclude both other threads of this JVM and other processes sharing the cache
 * directory (an in-process lock, then an exclusive {@link FileLock} on {@code <dir>/<name>.lock}).
 */
final class KeyedLocks {
  /*
   * Design notes: a JVM may hold only one FileLock per file (a second one from another thread
   * throws OverlappingFileLockException), so threads queue on the in-process lock first; that lock
   * is JVM-wide, keyed by the lock file's absolute path, because several stores may open the same
   * cache directory. Lock
   * files are never deleted: deleting one while another process waits on it would let a third
   * process lock a fresh file with the same name at the same time.
   */
  private final Path dir;
  private static final ConcurrentHashMap<Path, ReentrantLock> LOCAL = new ConcurrentHashMap<>();

  KeyedLocks(Path dir) {
    this.dir = dir;
  }

  /** A held lock; close releases it. */
  interface Held extends AutoCloseable {
    @Override
    void close();
  }

  Held acquire(String name) {
    Path file = dir.resolve(name + ".lock").toAbsolutePath().normalize();
    ReentrantLock lock = LOCAL.computeIfAbsent(file, f -> new ReentrantLock());
    lock.lock();
    FileChannel channel = null;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock fileLock = channel.lock();
      FileChannel held = channel;
      return () -> {
        try {
          fileLock.release();
          held.close();
        } catch (IOException e) {
          // closing the channel releases the lock in any case
        } finally {
          lock.unlock();
        }
      };
    } catch (IOException | RuntimeException e) {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      lock.unlock();
      throw new OciException(OciException.Reason.IO_ERROR, "locking " + name + ": " + e, e);
    }
  }
}
