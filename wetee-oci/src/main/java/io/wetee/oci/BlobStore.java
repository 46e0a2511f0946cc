package io.wetee.oci;

import io.wetee.common.Hex;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;

/**
 * A content-addressed blob cache: {@code <dir>/blobs/sha256/<hex>}, shared by every workload.
 *
 * <p>A blob appears under its name only after its bytes were hashed to that name: writes go to a
 * temporary file in {@code <dir>/tmp} and are renamed atomically after the check, so a reader never
 * sees a partial or unverified blob. {@link #fetch} downloads a missing blob once even when several
 * threads or processes ask for it at the same time (per-digest lock). Thread-safe. Trust: the
 * directory must be writable by the worker only; bytes read back are the ones verified on the way
 * in ({@link #read} re-verifies small documents anyway).
 */
public final class BlobStore {
  /** Opens a source of a blob's bytes; called at most once per {@link #fetch}. */
  @FunctionalInterface
  public interface Source {
    /** A fresh stream of the blob's bytes; closed by the store. */
    InputStream open();
  }

  private final Path blobs;
  private final Path tmp;
  private final KeyedLocks locks;

  private BlobStore(Path dir) throws IOException {
    this.blobs = Files.createDirectories(dir.resolve("blobs").resolve("sha256"));
    this.tmp = Files.createDirectories(dir.resolve("tmp"));
    this.locks = new KeyedLocks(Files.createDirectories(dir.resolve("locks")));
  }

  /** Opens (creating if needed) the store in {@code dir}. */
  public static BlobStore open(Path dir) {
    try {
      return new BlobStore(dir);
    } catch (IOException e) {
      throw new OciException(OciException.Reason.IO_ERROR, "opening blob store " + dir, e);
    }
  }

  /** Where the blob with {@code digest} lives (whether or not it is present). */
  public Path path(String digest) {
    return blobs.resolve(Digests.hex(Digests.require(digest, "blob")));
  }

  /** Whether the blob is present (and therefore verified). */
  public boolean has(String digest) {
    return Files.isRegularFile(path(digest));
  }

  /** The blob's path, fetching it from {@code source} first if it is missing. */
  @SuppressWarnings("try") // the lock is held for the block's duration
  public Path fetch(String digest, Source source) {
    Path path = path(digest);
    if (Files.isRegularFile(path)) {
      return path;
    }
    try (KeyedLocks.Held held = locks.acquire("blob-" + Digests.hex(digest))) {
      if (Files.isRegularFile(path)) {
        return path; // another thread or process fetched it while we waited
      }
      try (InputStream in = source.open()) {
        return put(digest, in);
      } catch (IOException e) {
        throw new OciException(OciException.Reason.IO_ERROR, "closing source of " + digest, e);
      }
    }
  }

  /**
   * Stores {@code in}'s bytes as {@code digest} after checking they hash to it.
   *
   * @throws OciException {@code digest-mismatch} (nothing is stored), {@code io-error}
   */
  public Path put(String digest, InputStream in) {
    Path target = path(digest);
    Path temp = null;
    try {
      temp = Files.createTempFile(tmp, Digests.hex(digest).substring(0, 12) + "-", ".part");
      MessageDigest sha256 = Digests.sha256();
      byte[] buffer = new byte[1 << 16];
      try (OutputStream out = Files.newOutputStream(temp)) {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          sha256.update(buffer, 0, n);
          out.write(buffer, 0, n);
        }
      }
      String actual = "sha256:" + Hex.encode(sha256.digest());
      if (!actual.equals(digest)) {
        throw new OciException(
            OciException.Reason.DIGEST_MISMATCH,
            "blob has digest " + actual + ", expected " + digest);
      }
      move(temp, target);
      temp = null;
      return target;
    } catch (IOException e) {
      throw new OciException(OciException.Reason.IO_ERROR, "storing blob " + digest + ": " + e, e);
    } finally {
      deleteQuietly(temp);
    }
  }

  /** Stores a small document (a manifest) as {@code digest} after checking it. */
  public Path put(String digest, byte[] bytes) {
    Digests.verify(bytes, digest, "document");
    return put(digest, new java.io.ByteArrayInputStream(bytes));
  }

  /**
   * Reads a small blob (a manifest, a config), verifying it again.
   *
   * @throws OciException {@code not-found} when absent, {@code too-large} above {@code maxBytes}
   */
  public byte[] read(String digest, int maxBytes) {
    Path path = path(digest);
    try {
      if (!Files.isRegularFile(path)) {
        throw new OciException(OciException.Reason.NOT_FOUND, "blob " + digest + " not cached");
      }
      if (Files.size(path) > maxBytes) {
        throw new OciException(
            OciException.Reason.TOO_LARGE, "blob " + digest + " is larger than " + maxBytes);
      }
      byte[] bytes = Files.readAllBytes(path);
      Digests.verify(bytes, digest, "cached blob");
      return bytes;
    } catch (IOException e) {
      throw new OciException(OciException.Reason.IO_ERROR, "reading blob " + digest + ": " + e, e);
    }
  }

  KeyedLocks locks() {
    return locks;
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the cache's tmp and blobs directories must share a file system", e);
    }
  }

  private static void deleteQuietly(Path path) {
    if (path != null) {
      try {
        Files.deleteIfExists(path);
      } catch (IOException e) {
        // a leftover .part file is harmless: it never gets a blob's name
      }
    }
  }
}
