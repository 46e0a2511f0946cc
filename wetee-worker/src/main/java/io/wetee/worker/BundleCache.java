package io.wetee.worker;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A content-addressed cache of unpacked program bundles, shared by every workload on this worker:
 * {@code DIR/sha256/<hex>/} holds the tree of the archive whose bytes hash to {@code <hex>}.
 *
 * <p>A bundle is fetched into {@code DIR/tmp}, its digest checked, unpacked into a staging
 * directory there and only then renamed into place, so a directory under {@code sha256/} is always
 * complete and verified: a wrong digest, a partial download or an unsafe archive never appears in
 * the cache. Thread-safe; fetches of the same digest are serialised, different digests proceed in
 * parallel; several processes may share a cache (the rename decides). {@link #fetch} blocks: call
 * it from a virtual thread.
 */
public final class BundleCache {
  private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

  private final Path dir;
  private final BundleFetcher fetcher;
  private final BundleUnpacker unpacker;
  private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

  private BundleCache(Path dir, BundleLimits limits, HttpClient http) {
    this.dir = dir;
    this.fetcher = new BundleFetcher(http, limits.maxArchiveBytes());
    this.unpacker = new BundleUnpacker(limits);
  }

  /** A cache at {@code dir} with default limits and a default HTTP client. */
  public static BundleCache open(Path dir) {
    HttpClient http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    return open(dir, BundleLimits.DEFAULT, http);
  }

  /**
   * Opens (creating) the cache at {@code dir} and deletes leftovers of interrupted fetches. The
   * directories are world-searchable and -readable: sandboxes read bundles under their own uids.
   */
  public static BundleCache open(Path dir, BundleLimits limits, HttpClient http) {
    Path root = dir.toAbsolutePath().normalize();
    try {
      Files.createDirectories(root.resolve("sha256"));
      deleteTree(root.resolve("tmp"));
      Files.createDirectories(root.resolve("tmp"));
      for (Path p : new Path[] {root, root.resolve("sha256")}) {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
      Files.setPosixFilePermissions(
          root.resolve("tmp"), PosixFilePermissions.fromString("rwx------"));
    } catch (IOException e) {
      throw new WorkerException("cannot open the bundle cache at " + root, e);
    }
    return new BundleCache(root, limits, http);
  }

  public Path dir() {
    return dir;
  }

  /** The unpacked tree of the archive with this digest, if cached. */
  public Optional<Path> find(String sha256) {
    if (!HEX.matcher(sha256).matches()) {
      return Optional.empty();
    }
    Path root = dir.resolve("sha256").resolve(sha256);
    return Files.isDirectory(root) ? Optional.of(root) : Optional.empty();
  }

  /**
   * Makes the bundle available: from the cache, or fetched, verified and unpacked. Expected
   * failures are {@link FetchResult.Refused} values with a stable reason.
   */
  public FetchResult fetch(BundleRef ref) {
    Optional<Path> cached = find(ref.sha256());
    if (cached.isPresent()) {
      return new FetchResult.Ready(ref, cached.get(), true);
    }
    ReentrantLock lock = locks.computeIfAbsent(ref.sha256(), k -> new ReentrantLock());
    lock.lock();
    try {
      cached = find(ref.sha256());
      if (cached.isPresent()) {
        return new FetchResult.Ready(ref, cached.get(), true);
      }
      return new FetchResult.Ready(ref, fetchAndUnpack(ref), false);
    } catch (BundleRejected e) {
      return e.toResult();
    } finally {
      lock.unlock();
    }
  }

  private Path fetchAndUnpack(BundleRef ref) throws BundleRejected {
    Path archive = null;
    Path staging = null;
    try {
      archive = Files.createTempFile(dir.resolve("tmp"), "fetch-", ".tar.gz");
      String actual = fetcher.fetch(ref.location(), archive);
      if (!actual.equals(ref.sha256())) {
        throw new BundleRejected(
            BundleRefusal.DIGEST_MISMATCH,
            ref.location() + " has sha256 " + actual + ", expected " + ref.sha256());
      }
      staging = Files.createTempDirectory(dir.resolve("tmp"), "unpack-");
      unpacker.unpack(archive, staging);
      Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwxr-xr-x"));
      return publish(staging, ref.sha256());
    } catch (IOException e) {
      throw new BundleRejected(BundleRefusal.FETCH_FAILED, "cannot store " + ref + ": " + e);
    } finally {
      deleteQuietly(archive);
      deleteQuietly(staging);
    }
  }

  private Path publish(Path staging, String sha256) throws IOException {
    Path root = dir.resolve("sha256").resolve(sha256);
    try {
      Files.move(staging, root, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
      // Another process published the same digest first: same bytes, keep theirs.
    } catch (AtomicMoveNotSupportedException e) {
      throw new WorkerException("the bundle cache must support atomic rename", e);
    }
    return root;
  }

  private static void deleteQuietly(Path path) {
    if (path == null) {
      return;
    }
    try {
      deleteTree(path);
    } catch (IOException e) {
      // A leftover in tmp/ is removed at the next open.
    }
  }

  private static void deleteTree(Path path) throws IOException {
    if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
