package io.wetee.worker;

import io.wetee.oci.TarFormatException;
import io.wetee.oci.TarReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** Unpacks a verified bundle archive into an empty staging directory, refusing anything unsafe. */
final class BundleUnpacker {
  /*
   * Design notes: the archive's digest has been checked before this runs, so a refusal here means
   * the publisher shipped something unsafe, not that the bytes were tampered with. The unpacker
   * never follows a symlink while writing: files are created with CREATE_NEW and NOFOLLOW_LINKS,
   * an entry below a symlink or a duplicate name is refused, and links are checked as a whole at
   * the end (BundlePaths). Hard links, devices and FIFOs are refused outright. Sizes are checked
   * against the declared size before writing and the decompressed stream is capped too, so a gzip
   * bomb stops at the limit. Modes are normalised: 0755 for directories and files with any
   * execute bit, 0644 for other files; owners are the worker's.
   */

  private final BundleLimits limits;

  BundleUnpacker(BundleLimits limits) {
    this.limits = limits;
  }

  /** Unpacks {@code archive} (tar.gz) into {@code root}, which must exist and be empty. */
  void unpack(Path archive, Path root) throws IOException, BundleRejected {
    long streamCap = limits.maxUnpackedBytes() + (long) limits.maxEntries() * 3 * 512 + (16 << 20);
    try (InputStream file = Files.newInputStream(archive);
        InputStream capped = new Capped(new GZIPInputStream(file, 64 << 10), streamCap)) {
      unpackTar(new TarReader(capped), root);
    } catch (ZipException e) {
      throw new BundleRejected(BundleRefusal.MALFORMED, "not a gzip archive: " + e.getMessage());
    } catch (TarFormatException e) {
      throw new BundleRejected(
          e.tooLarge() ? BundleRefusal.TOO_LARGE : BundleRefusal.MALFORMED, e.getMessage());
    } catch (Capped.Exceeded e) {
      throw new BundleRejected(BundleRefusal.TOO_LARGE, "archive unpacks to more than allowed");
    } catch (java.io.EOFException e) {
      throw new BundleRejected(BundleRefusal.MALFORMED, "truncated archive: " + e.getMessage());
    } catch (java.nio.file.FileAlreadyExistsException e) {
      throw new BundleRejected(BundleRefusal.DUPLICATE_ENTRY, "duplicate entry: " + e.getFile());
    }
  }

  private void unpackTar(TarReader reader, Path root) throws IOException, BundleRejected {
    Set<String> names = new HashSet<>();
    Map<String, String> links = new HashMap<>();
    long total = 0;
    int entries = 0;
    for (Optional<TarReader.Entry> next = reader.next(); next.isPresent(); next = reader.next()) {
      TarReader.Entry entry = next.get();
      if (++entries > limits.maxEntries()) {
        throw new BundleRejected(
            BundleRefusal.TOO_LARGE, "more than " + limits.maxEntries() + " entries");
      }
      String name = BundlePaths.normalize(entry.name());
      if (name.isEmpty() && entry.type() == '5') {
        continue; // the archive's "./" entry
      }
      checkPlacement(name, names, links);
      switch (entry.type()) {
        case '5' -> directory(root, name);
        case '0', '7' -> {
          total += entry.size();
          if (total > limits.maxUnpackedBytes()) {
            throw new BundleRejected(
                BundleRefusal.TOO_LARGE, "files exceed " + limits.maxUnpackedBytes() + " bytes");
          }
          file(root, name, entry, reader.content());
        }
        case '2' -> {
          links.put(name, entry.linkName());
          parents(root, name);
          Files.createSymbolicLink(root.resolve(name), Path.of(entry.linkName()));
        }
        default -> throw new BundleRejected(BundleRefusal.UNSUPPORTED_ENTRY, describe(entry));
      }
    }
    BundlePaths.checkLinks(links);
  }

  private static void checkPlacement(String name, Set<String> names, Map<String, String> links)
      throws BundleRejected {
    if (name.isEmpty()) {
      throw new BundleRejected(BundleRefusal.UNSAFE_PATH, "a non-directory entry names the root");
    }
    if (!names.add(name)) {
      throw new BundleRejected(BundleRefusal.DUPLICATE_ENTRY, "duplicate entry: " + name);
    }
    for (int slash = name.indexOf('/'); slash > 0; slash = name.indexOf('/', slash + 1)) {
      if (links.containsKey(name.substring(0, slash))) {
        throw new BundleRejected(BundleRefusal.UNSAFE_PATH, name + " lies below a symlink");
      }
    }
  }

  private static void directory(Path root, String name) throws IOException, BundleRejected {
    parents(root, name);
    Path dir = root.resolve(name);
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectory(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    }
  }

  private static void file(Path root, String name, TarReader.Entry entry, InputStream content)
      throws IOException, BundleRejected {
    parents(root, name);
    Path target = root.resolve(name);
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new BundleRejected(BundleRefusal.DUPLICATE_ENTRY, "duplicate entry: " + name);
    }
    try (OutputStream out =
        Files.newOutputStream(
            target,
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS)) {
      content.transferTo(out);
    }
    String mode = (entry.mode() & 0111) != 0 ? "rwxr-xr-x" : "rw-r--r--";
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(mode));
  }

  /** Creates the missing parents of {@code name} as real directories, never through a link. */
  private static void parents(Path root, String name) throws IOException, BundleRejected {
    Path dir = root;
    String[] segments = name.split("/");
    for (int i = 0; i < segments.length - 1; i++) {
      dir = dir.resolve(segments[i]);
      if (Files.isSymbolicLink(dir)) {
        throw new BundleRejected(BundleRefusal.UNSAFE_PATH, name + " lies below a symlink");
      }
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
          throw new BundleRejected(BundleRefusal.DUPLICATE_ENTRY, name + " lies below a file");
        }
        Files.createDirectory(
            dir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
      }
    }
  }

  private static String describe(TarReader.Entry entry) {
    String kind =
        switch (entry.type()) {
          case '1' -> "hard link";
          case '3' -> "character device";
          case '4' -> "block device";
          case '6' -> "FIFO";
          default -> "entry of type '" + entry.type() + "'";
        };
    return kind + " " + entry.name() + " is not allowed in a bundle";
  }

  /** Fails once more than {@code cap} bytes have been read. */
  private static final class Capped extends FilterInputStream {
    static final class Exceeded extends IOException {
      private static final long serialVersionUID = 1L;
    }

    private long left;

    Capped(InputStream in, long cap) {
      super(in);
      this.left = cap;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0 && --left < 0) {
        throw new Exceeded();
      }
      return b;
    }

    @Override
    public long skip(long n) throws IOException {
      // Skipped bytes are decompressed too: count them like reads.
      byte[] buffer = new byte[(int) Math.min(n, 8192)];
      int read = read(buffer, 0, buffer.length);
      return Math.max(read, 0);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0 && (left -= n) < 0) {
        throw new Exceeded();
      }
      return n;
    }
  }
}
