package io.wetee.worker;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Packs a local program directory into a reproducible bundle archive (what {@code wetee app deploy}
 * uploads or points the worker at on devnet).
 *
 * <p>Reproducible: the same tree (names, contents, symlinks, execute bits) gives the same tar bytes
 * everywhere, and the same gzip bytes with the same JDK (compressed output depends on the zlib the
 * JDK uses). Timestamps, owners and permission bits other than "executable" are not recorded.
 * Entries are sorted by name. A tree the unpacker would refuse (a symlink leaving the directory, a
 * FIFO, a socket, a device) is refused here too, so a packed bundle always unpacks.
 */
public final class BundlePacker {
  private BundlePacker() {}

  /** Writes the bundle of {@code programDir} to {@code archive} (replaced atomically). */
  public static PackResult pack(Path programDir, Path archive) {
    Path root = programDir.toAbsolutePath().normalize();
    if (!Files.isDirectory(root)) {
      return new PackResult.Refused(BundleRefusal.NOT_FOUND, "no directory " + root);
    }
    try {
      Map<String, Path> entries = entries(root);
      checkTree(root, entries);
      Path tmp = Files.createTempFile(archive.toAbsolutePath().getParent(), ".bundle-", ".tmp");
      try {
        String sha256 = write(entries, tmp);
        Files.move(
            tmp, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return new PackResult.Packed(archive, sha256, Files.size(archive), entries.size());
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (BundleRejected e) {
      return new PackResult.Refused(e.reason(), e.getMessage());
    } catch (IOException e) {
      throw new WorkerException("cannot pack " + root + " into " + archive, e);
    }
  }

  /** Every path below {@code root}, by its '/'-separated relative name, sorted by name. */
  private static Map<String, Path> entries(Path root) throws IOException {
    List<String> names = new ArrayList<>();
    Map<String, Path> byName = new java.util.HashMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.toList()) {
        if (!p.equals(root)) {
          String name = root.relativize(p).toString().replace('\\', '/');
          names.add(name);
          byName.put(name, p);
        }
      }
    }
    names.sort(null);
    Map<String, Path> sorted = new LinkedHashMap<>();
    names.forEach(n -> sorted.put(n, byName.get(n)));
    return sorted;
  }

  private static void checkTree(Path root, Map<String, Path> entries)
      throws IOException, BundleRejected {
    Map<String, String> links = new LinkedHashMap<>();
    long total = 0;
    for (Map.Entry<String, Path> e : entries.entrySet()) {
      Path p = e.getValue();
      if (Files.isSymbolicLink(p)) {
        links.put(e.getKey(), Files.readSymbolicLink(p).toString());
      } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
        total += Files.size(p);
      } else if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        throw new BundleRejected(
            BundleRefusal.UNSUPPORTED_ENTRY, e.getKey() + " is not a file, directory or symlink");
      }
    }
    BundleLimits limits = BundleLimits.DEFAULT;
    if (entries.size() > limits.maxEntries() || total > limits.maxUnpackedBytes()) {
      throw new BundleRejected(BundleRefusal.TOO_LARGE, root + " exceeds the bundle limits");
    }
    BundlePaths.checkLinks(links);
  }

  private static String write(Map<String, Path> entries, Path target) throws IOException {
    MessageDigest sha256 = sha256();
    try (OutputStream file = Files.newOutputStream(target);
        DigestOutputStream digest = new DigestOutputStream(new BufferedOutputStream(file), sha256);
        GZIPOutputStream gzip = new GZIPOutputStream(digest, 64 << 10)) {
      TarWriter tar = new TarWriter(gzip);
      for (Map.Entry<String, Path> e : entries.entrySet()) {
        writeEntry(tar, e.getKey(), e.getValue());
      }
      tar.finish();
    }
    return HexFormat.of().formatHex(sha256.digest());
  }

  private static void writeEntry(TarWriter tar, String name, Path p) throws IOException {
    if (Files.isSymbolicLink(p)) {
      tar.symlink(name, Files.readSymbolicLink(p).toString());
    } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      tar.directory(name);
    } else {
      try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
        boolean executable =
            Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS).stream()
                .anyMatch(x -> x.name().endsWith("_EXECUTE"));
        tar.file(name, executable, Files.size(p), in);
      }
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new WorkerException("SHA-256 is not available", e);
    }
  }
}
