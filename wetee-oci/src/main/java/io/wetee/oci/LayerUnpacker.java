package io.wetee.oci;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Applies image layers (tar, tar+gzip) onto a root directory, in order, as an overlay would.
 *
 * <p>Security properties: an entry name that is absolute or has a {@code ..} segment, a device
 * node, a FIFO or any other special entry, a hard link to a path outside the root or to a
 * directory, and a write below a symlink whose target climbs above the root are all refused with
 * {@code layer-refused}; nothing is ever written through a symlink or into an existing hard-linked
 * file (existing entries are unlinked first, files are created with {@code CREATE_NEW} and no link
 * following). Set-user-id and set-group-id bits are dropped: the cache lives on the host. zstd
 * layers are refused with {@code unsupported-media-type}. A refused layer leaves the root half
 * applied: the caller ({@link ImageStore}) unpacks into a temporary directory and deletes it on
 * failure. Instances are stateless and thread-safe; one call unpacks one layer.
 */
public final class LayerUnpacker {
  /*
   * Design notes: the OCI image-spec layer.md semantics. Whiteouts ".wh.<name>" delete <name> from
   * lower layers; ".wh..wh..opq" empties its directory of lower-layer entries; both leave entries
   * of the same layer alone. Parent directories are resolved component by component without
   * trusting the kernel to follow links: a symlink in the path is read and re-resolved inside the
   * root (an absolute target restarts at the root, as inside the container), and a '..' that
   * would leave the root refuses the layer (no legitimate image needs it; clamping at the root as
   * runc's securejoin does would hide an attack). Ownership is the worker's (unless it runs as root: then the layer's numeric uid/gid, with lchown); directory times
   * are set after the layer since adding children changes them.
   */

  /** Default cap on the file bytes one layer may unpack to: a gzip bomb stops here. */
  public static final long DEFAULT_MAX_BYTES = 16L << 30;

  private static final String OPAQUE = ".wh..wh..opq";
  private static final String WHITEOUT = ".wh.";
  private static final int MAX_LINKS = 40;
  private static final int BUFFER = 1 << 16;

  private final long maxBytes;
  private final boolean owners;

  /** An unpacker with {@link #DEFAULT_MAX_BYTES}. */
  public LayerUnpacker() {
    this(DEFAULT_MAX_BYTES);
  }

  /**
   * An unpacker that refuses a layer whose files add up to more than {@code maxBytes}. Entries get
   * the layer's numeric owners when this process runs as root (else they belong to it).
   */
  public LayerUnpacker(long maxBytes) {
    this.maxBytes = maxBytes;
    this.owners = isRoot();
  }

  private static boolean isRoot() {
    try {
      return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  /** Whether {@code mediaType} is a layer type this unpacker can apply. */
  public static boolean isSupported(String mediaType) {
    return compression(mediaType).isPresent();
  }

  /**
   * Applies one layer onto {@code root} (an existing directory).
   *
   * @param layer the layer blob as stored (compressed as its media type says); not closed here
   * @param mediaType the layer's media type from the manifest
   * @throws OciException {@code layer-refused}, {@code unsupported-media-type}, {@code io-error}
   */
  public void unpack(InputStream layer, String mediaType, Path root) {
    boolean gzip =
        compression(mediaType)
            .orElseThrow(
                () ->
                    new OciException(
                        OciException.Reason.UNSUPPORTED_MEDIA_TYPE,
                        "layer media type "
                            + mediaType
                            + (mediaType.endsWith("zstd")
                                ? " (zstd layers are not supported; push gzip layers)"
                                : " is not a tar layer type we handle")));
    try {
      InputStream buffered = new BufferedInputStream(layer, BUFFER);
      if (!gzip) {
        new Run(root.toRealPath(), maxBytes, owners).apply(new TarReader(buffered));
        return;
      }
      // The gzip header is read here (a non-gzip layer fails at once); inflating runs on its own
      // thread while this one writes files.
      try (ParallelInflater tar = new ParallelInflater(new GZIPInputStream(buffered, BUFFER))) {
        new Run(root.toRealPath(), maxBytes, owners).apply(new TarReader(tar));
      }
    } catch (ZipException e) {
      throw refused("layer is not valid gzip: " + e.getMessage());
    } catch (TarFormatException e) {
      throw refused("layer is not a valid tar archive: " + e.getMessage());
    } catch (EOFException e) {
      throw refused("layer is truncated: " + e.getMessage());
    } catch (IOException e) {
      throw new OciException(
          OciException.Reason.IO_ERROR, "unpacking a layer into " + root + ": " + e, e);
    }
  }

  /** Empty: unsupported; true: gzip; false: plain tar. */
  private static Optional<Boolean> compression(String mediaType) {
    return switch (mediaType) {
      case "application/vnd.oci.image.layer.v1.tar",
          "application/vnd.oci.image.layer.nondistributable.v1.tar" ->
          Optional.of(false);
      case "application/vnd.oci.image.layer.v1.tar+gzip",
          "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
          "application/vnd.docker.image.rootfs.diff.tar.gzip",
          "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip" ->
          Optional.of(true);
      default -> Optional.empty();
    };
  }

  static OciException refused(String detail) {
    return new OciException(OciException.Reason.LAYER_REFUSED, detail);
  }

  /** The state of applying one layer. */
  private static final class Run {
    private final Path root;
    private final long maxBytes;
    private final boolean owners;
    private final Set<String> names = new HashSet<>();
    private final List<Path> directories = new ArrayList<>();
    private final List<FileTime> directoryTimes = new ArrayList<>();
    // Resolved parent directories of this layer. Only a removal can turn a resolved directory into
    // something else (every replacement removes first), so any removal clears the cache.
    private final Map<String, Path> resolved = new HashMap<>();
    private final byte[] buffer = new byte[BUFFER];
    private long bytes;

    Run(Path root, long maxBytes, boolean owners) {
      this.root = root;
      this.maxBytes = maxBytes;
      this.owners = owners;
    }

    void apply(TarReader reader) throws IOException {
      for (var next = reader.next(); next.isPresent(); next = reader.next()) {
        entry(next.get(), reader);
      }
      for (int i = directories.size() - 1; i >= 0; i--) {
        Files.setLastModifiedTime(directories.get(i), directoryTimes.get(i));
      }
    }

    private void entry(TarReader.Entry entry, TarReader reader) throws IOException {
      String name = LayerPaths.normalize(entry.name());
      if (name.isEmpty()) {
        if (entry.type() != '5') {
          throw refused("a non-directory entry names the root: " + entry.name());
        }
        return;
      }
      int slash = name.lastIndexOf('/');
      String parent = slash < 0 ? "" : name.substring(0, slash);
      String base = name.substring(slash + 1);
      if (base.startsWith(WHITEOUT)) {
        whiteout(parent, base);
        return;
      }
      Path dir = resolve(parent, true).orElseThrow();
      Path target = dir.resolve(base);
      switch (entry.type()) {
        case '5' -> directory(target, entry);
        case '0', '7' -> file(target, entry, reader.content());
        case '2' -> symlink(target, entry);
        case '1' -> hardLink(target, entry);
        case '3', '4' -> throw refused("device node " + entry.name() + " in a layer");
        case '6' -> throw refused("FIFO " + entry.name() + " in a layer");
        default -> throw refused("tar entry " + entry.name() + " of type '" + entry.type() + "'");
      }
      if (owners && entry.type() != '1' && (entry.uid() != 0 || entry.gid() != 0)) {
        // lchown: a symlink's own owner, never its target's.
        Files.setAttribute(target, "unix:uid", (int) entry.uid(), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(target, "unix:gid", (int) entry.gid(), LinkOption.NOFOLLOW_LINKS);
      }
      names.add(name);
    }

    private void whiteout(String parent, String base) throws IOException {
      Optional<Path> dir = resolve(parent, false);
      if (dir.isEmpty()) {
        return; // nothing below to hide
      }
      if (base.equals(OPAQUE)) {
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir.get())) {
          for (Path child : children) {
            String childName = LayerPaths.join(parent, child.getFileName().toString());
            if (!names.contains(childName)) {
              replace(child);
            }
          }
        }
        return;
      }
      if (base.startsWith(WHITEOUT + WHITEOUT)) {
        return; // other AUFS metadata (.wh..wh.plnk and the like) carries nothing to apply
      }
      String hidden = base.substring(WHITEOUT.length());
      if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..")) {
        throw refused("whiteout with an invalid name: " + LayerPaths.join(parent, base));
      }
      if (!names.contains(LayerPaths.join(parent, hidden))) {
        replace(dir.get().resolve(hidden));
      }
    }

    private void directory(Path target, TarReader.Entry entry) throws IOException {
      if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
        replace(target);
        Files.createDirectory(target);
      }
      mode(target, entry.mode());
      directories.add(target);
      directoryTimes.add(FileTime.from(entry.mtime(), java.util.concurrent.TimeUnit.SECONDS));
    }

    private void file(Path target, TarReader.Entry entry, InputStream content) throws IOException {
      bytes += entry.size();
      if (bytes > maxBytes) {
        throw new OciException(
            OciException.Reason.TOO_LARGE, "layer unpacks to more than " + maxBytes + " bytes");
      }
      replace(target);
      try (OutputStream out =
          Files.newOutputStream(
              target,
              StandardOpenOption.CREATE_NEW,
              StandardOpenOption.WRITE,
              LinkOption.NOFOLLOW_LINKS)) {
        for (int n = content.read(buffer); n >= 0; n = content.read(buffer)) {
          out.write(buffer, 0, n);
        }
      }
      mode(target, entry.mode());
      Files.setLastModifiedTime(
          target, FileTime.from(entry.mtime(), java.util.concurrent.TimeUnit.SECONDS));
    }

    private void symlink(Path target, TarReader.Entry entry) throws IOException {
      if (entry.linkName().isEmpty()) {
        throw refused("symlink " + entry.name() + " without a target");
      }
      replace(target);
      // The link's text is harmless as such; following it is what resolve() guards.
      Files.createSymbolicLink(target, Path.of(entry.linkName()));
      Files.getFileAttributeView(target, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
          .setTimes(
              FileTime.from(entry.mtime(), java.util.concurrent.TimeUnit.SECONDS), null, null);
    }

    private void hardLink(Path target, TarReader.Entry entry) throws IOException {
      String linkName = LayerPaths.normalize(entry.linkName());
      if (linkName.isEmpty()) {
        throw refused("hard link " + entry.name() + " to the root");
      }
      int slash = linkName.lastIndexOf('/');
      Path existing =
          resolve(slash < 0 ? "" : linkName.substring(0, slash), false)
              .map(d -> d.resolve(linkName.substring(slash + 1)))
              .filter(p -> Files.exists(p, LinkOption.NOFOLLOW_LINKS))
              .orElseThrow(
                  () ->
                      refused(
                          "hard link " + entry.name() + " to a missing entry " + entry.linkName()));
      if (Files.isDirectory(existing, LinkOption.NOFOLLOW_LINKS)) {
        throw refused("hard link " + entry.name() + " to a directory");
      }
      if (existing.equals(target)) {
        return;
      }
      replace(target);
      Files.createLink(target, existing);
    }

    /**
     * The real directory for the normalised relative path {@code rel}, following symlinks inside
     * the root; missing directories are created when {@code create}, else the result is empty.
     */
    private Optional<Path> resolve(String rel, boolean create) throws IOException {
      Path cached = resolved.get(rel);
      if (cached != null) {
        return Optional.of(cached);
      }
      Deque<String> todo = new ArrayDeque<>(LayerPaths.segments(rel));
      Deque<String> done = new ArrayDeque<>();
      int links = 0;
      while (!todo.isEmpty()) {
        String segment = todo.removeFirst();
        if (segment.isEmpty() || segment.equals(".")) {
          continue;
        }
        if (segment.equals("..")) {
          if (done.isEmpty()) {
            throw refused("a symlink in " + rel + " points outside the image root");
          }
          done.removeLast();
          continue;
        }
        Path path = root.resolve(String.join("/", done)).resolve(segment);
        BasicFileAttributes attributes;
        try {
          attributes =
              Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
          if (!create) {
            return Optional.empty();
          }
          Files.createDirectory(path);
          done.addLast(segment);
          continue;
        }
        if (attributes.isSymbolicLink()) {
          if (++links > MAX_LINKS) {
            throw refused("too many symlinks resolving " + rel);
          }
          String link = Files.readSymbolicLink(path).toString();
          if (link.startsWith("/")) {
            done.clear();
          }
          List<String> linkSegments = LayerPaths.segments(link);
          for (int i = linkSegments.size() - 1; i >= 0; i--) {
            todo.addFirst(linkSegments.get(i));
          }
        } else if (attributes.isDirectory()) {
          done.addLast(segment);
        } else if (create) {
          throw refused(rel + " lies below a non-directory");
        } else {
          return Optional.empty();
        }
      }
      Path dir = done.isEmpty() ? root : root.resolve(String.join("/", done));
      resolved.put(rel, dir);
      return Optional.of(dir);
    }

    /** Removes whatever is at {@code path} (not following links) before something replaces it. */
    private void replace(Path path) throws IOException {
      if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
        resolved.clear();
        remove(path);
      }
    }

    private static void mode(Path path, int mode) throws IOException {
      // Permission and sticky bits; set-id bits would be set-id binaries on the host.
      Files.setAttribute(path, "unix:mode", mode & 01777);
    }
  }

  /** Deletes {@code path} (a file, a link, or a directory tree) without following links. */
  static void remove(Path path) throws IOException {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return;
    }
    if (!attributes.isDirectory()) {
      Files.delete(path);
      return;
    }
    Files.walkFileTree(
        path,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            Files.delete(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
