package io.wetee.oci;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Pulls images by digest into a cache directory and unpacks them into shared root file systems.
 *
 * <p>Layout: {@code <cache>/blobs/sha256/<hex>} (manifests, indexes, configs and layers, see {@link
 * BlobStore}) and {@code <cache>/rootfs/<manifest hex>/} (one unpacked tree per image manifest). A
 * root file system is built in a temporary directory next to it and renamed only when every layer
 * applied, so a present rootfs directory is always complete; a failed pull leaves none. A second
 * pull of a cached image reads only local files (no network). Concurrent pulls of the same image,
 * by threads or processes, download and unpack it once. Thread-safe.
 */
public final class ImageStore {
  /*
   * Design notes: layers download in parallel (at most FETCHERS at once) and are applied in order
   * as soon as each one and all before it are present, so unpacking overlaps the downloads. Each
   * layer is verified (size and sha256) before it gets its name in the blob store, and unpacked
   * from the store, never from the network stream. The mount points a container runtime needs are
   * created after the layers, because the cached tree is shared read-only by every instance.
   */

  /** Directories every rootfs gets (if the image lacks them), as mount points for the runtime. */
  public static final List<String> MOUNT_POINTS =
      List.of("proc", "sys", "dev", "tmp", "work", ".wetee");

  static final int MAX_CONFIG_BYTES = 16 << 20;
  private static final int FETCHERS = 4;
  private static final java.time.Duration STALE = java.time.Duration.ofHours(6);

  private final RegistryClient registry;
  private final BlobStore blobs;
  private final Path rootfsDir;
  private final LayerUnpacker unpacker;
  // Pulled digests of this store, so that a workload reusing an image skips even the cached
  // documents; the rootfs directory is still checked on every hit.
  private final java.util.concurrent.ConcurrentHashMap<String, PulledImage> pulled =
      new java.util.concurrent.ConcurrentHashMap<>();

  private ImageStore(Path cacheDir, RegistryClient registry, LayerUnpacker unpacker) {
    this.registry = registry;
    this.blobs = BlobStore.open(cacheDir);
    this.unpacker = unpacker;
    try {
      this.rootfsDir = Files.createDirectories(cacheDir.resolve("rootfs"));
      sweep(rootfsDir, ".tmp-");
      sweep(cacheDir.resolve("tmp"), "");
    } catch (IOException e) {
      throw new OciException(OciException.Reason.IO_ERROR, "creating " + cacheDir, e);
    }
  }

  /**
   * Deletes what a crashed pull left behind: entries of {@code dir} named {@code prefix*} older
   * than {@link #STALE} (no pull runs that long).
   */
  private static void sweep(Path dir, String prefix) throws IOException {
    java.time.Instant cutoff = java.time.Instant.now().minus(STALE);
    try (var entries = Files.newDirectoryStream(dir, prefix + "*")) {
      for (Path entry : entries) {
        if (Files.getLastModifiedTime(entry, LinkOption.NOFOLLOW_LINKS)
            .toInstant()
            .isBefore(cutoff)) {
          deleteQuietly(entry);
        }
      }
    }
  }

  /**
   * Opens (creating if needed) the cache in {@code cacheDir}, fetching through {@code registry}.
   */
  public static ImageStore open(Path cacheDir, RegistryClient registry) {
    return new ImageStore(cacheDir, registry, new LayerUnpacker());
  }

  /** As {@link #open(Path, RegistryClient)} with a custom unpacker (size limit). */
  public static ImageStore open(Path cacheDir, RegistryClient registry, LayerUnpacker unpacker) {
    return new ImageStore(cacheDir, registry, unpacker);
  }

  /** The blob cache under this store. */
  public BlobStore blobs() {
    return blobs;
  }

  /**
   * Pulls and unpacks a pinned image (an index digest resolves to its linux/amd64 manifest).
   * Idempotent: an image already in the cache is returned from local files.
   *
   * @throws OciException {@code unpinned-reference} for a reference without digest, and every code
   *     of {@link RegistryClient} and {@link LayerUnpacker}
   */
  @SuppressWarnings("try") // the lock is held for the block's duration
  public PulledImage pull(ImageRef pinned) {
    String digest =
        pinned
            .digest()
            .orElseThrow(
                () ->
                    new OciException(
                        OciException.Reason.UNPINNED,
                        "refusing to pull " + pinned + " by tag: pin it with @sha256:<digest>"));
    PulledImage known = pulled.get(digest);
    if (known != null && Files.isDirectory(known.rootfs(), LinkOption.NOFOLLOW_LINKS)) {
      return new PulledImage(
          pinned,
          known.manifestDigest(),
          known.layerDigests(),
          known.config(),
          known.rootfs(),
          known.documents());
    }
    Manifests.Image image;
    String manifestDigest = digest;
    Manifests.Parsed parsed = document(pinned, digest);
    if (parsed instanceof Manifests.Index index) {
      manifestDigest = index.chosen().digest();
      if (!(document(pinned, manifestDigest) instanceof Manifests.Image chosen)) {
        throw new OciException(
            OciException.Reason.UNSUPPORTED_MEDIA_TYPE,
            "index " + digest + " points to another index for linux/amd64");
      }
      image = chosen;
    } else {
      image = (Manifests.Image) parsed;
    }
    Descriptor configBlob = image.config();
    blobs.fetch(configBlob.digest(), () -> registry.blob(pinned, configBlob));
    ImageConfig config = ImageConfig.parse(blobs.read(configBlob.digest(), MAX_CONFIG_BYTES));
    Path rootfs = rootfsDir.resolve(Digests.hex(manifestDigest));
    if (!Files.isDirectory(rootfs, LinkOption.NOFOLLOW_LINKS)) {
      try (KeyedLocks.Held held = blobs.locks().acquire("rootfs-" + Digests.hex(manifestDigest))) {
        if (!Files.isDirectory(rootfs, LinkOption.NOFOLLOW_LINKS)) {
          build(pinned, image.layers(), rootfs);
        }
      }
    }
    List<String> layers = image.layers().stream().map(Descriptor::digest).toList();
    PulledImage result =
        new PulledImage(pinned, manifestDigest, layers, config, rootfs, documents(pinned));
    pulled.put(digest, result);
    return result;
  }

  /**
   * The documents of a pulled image, from the cache (each was verified when stored), for a party
   * that checks them itself against the pinned digest ({@link ImageDocuments#verify}).
   *
   * @throws OciException {@code unpinned-reference}, or {@code not-found} when the image was not
   *     pulled into this cache
   */
  public ImageDocuments documents(ImageRef pinned) {
    String digest =
        pinned
            .digest()
            .orElseThrow(
                () -> new OciException(OciException.Reason.UNPINNED, pinned + " has no digest"));
    byte[] first = cached(digest, RegistryClient.MAX_MANIFEST_BYTES);
    Optional<byte[]> index = Optional.empty();
    byte[] manifest = first;
    if (Manifests.parse(first, "", digest) instanceof Manifests.Index i) {
      index = Optional.of(first);
      manifest = cached(i.chosen().digest(), RegistryClient.MAX_MANIFEST_BYTES);
    }
    if (!(Manifests.parse(manifest, "", digest) instanceof Manifests.Image image)) {
      throw new OciException(OciException.Reason.BAD_MANIFEST, "no image manifest under " + digest);
    }
    return new ImageDocuments(index, manifest, cached(image.config().digest(), MAX_CONFIG_BYTES));
  }

  private byte[] cached(String digest, int maxBytes) {
    if (!blobs.has(digest)) {
      throw new OciException(OciException.Reason.NOT_FOUND, digest + " is not in the image cache");
    }
    return blobs.read(digest, maxBytes);
  }

  /** A manifest document from the cache, or fetched (verified) and cached. */
  private Manifests.Parsed document(ImageRef repo, String digest) {
    if (!blobs.has(digest)) {
      RegistryClient.ManifestDocument fetched = registry.fetchManifest(repo, digest);
      Manifests.Parsed parsed = fetched.parse();
      blobs.put(digest, fetched.bytes());
      return parsed;
    }
    // The Content-Type is not cached: a cached document is one we parsed before, and documents
    // without a mediaType field are told apart by their shape.
    return Manifests.parse(blobs.read(digest, RegistryClient.MAX_MANIFEST_BYTES), "", digest);
  }

  private void build(ImageRef repo, List<Descriptor> layers, Path rootfs) {
    Path staging = null;
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      staging = Files.createTempDirectory(rootfsDir, ".tmp-" + rootfs.getFileName() + "-");
      Semaphore slots = new Semaphore(FETCHERS);
      List<Future<Path>> fetched = new ArrayList<>();
      for (Descriptor layer : layers) {
        fetched.add(pool.submit(() -> fetchLayer(repo, layer, slots)));
      }
      for (int i = 0; i < layers.size(); i++) {
        Path blob = await(fetched.get(i));
        try (InputStream in = Files.newInputStream(blob)) {
          unpacker.unpack(in, layers.get(i).mediaType(), staging);
        }
      }
      mountPoints(staging);
      Files.setAttribute(staging, "unix:mode", 0755);
      Files.move(staging, rootfs, StandardCopyOption.ATOMIC_MOVE);
      staging = null;
    } catch (IOException e) {
      throw new OciException(OciException.Reason.IO_ERROR, "building " + rootfs + ": " + e, e);
    } finally {
      if (staging != null) {
        deleteQuietly(staging);
      }
    }
  }

  private Path fetchLayer(ImageRef repo, Descriptor layer, Semaphore slots)
      throws InterruptedException {
    if (blobs.has(layer.digest())) {
      return blobs.path(layer.digest());
    }
    slots.acquire();
    try {
      return blobs.fetch(layer.digest(), () -> registry.blob(repo, layer));
    } finally {
      slots.release();
    }
  }

  private static Path await(Future<Path> future) {
    try {
      return future.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof OciException oci) {
        throw oci;
      }
      throw new OciException(
          OciException.Reason.REGISTRY_ERROR, "fetching a layer: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OciException(OciException.Reason.IO_ERROR, "interrupted while pulling", e);
    }
  }

  private static void mountPoints(Path root) throws IOException {
    for (String name : MOUNT_POINTS) {
      Path dir = root.resolve(name);
      if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        throw new OciException(
            OciException.Reason.LAYER_REFUSED,
            "the image has /" + name + " as a non-directory; the runtime mounts a directory there");
      }
      Files.createDirectory(dir);
      Files.setAttribute(dir, "unix:mode", name.equals("tmp") ? 01777 : 0755);
    }
  }

  private static void deleteQuietly(Path dir) {
    try {
      LayerUnpacker.remove(dir);
    } catch (IOException e) {
      // a leftover .tmp- directory never becomes a rootfs: its name is not a digest
    }
  }
}
