package io.wetee.worker;

/**
 * Size limits on program bundles; an archive over any of them is refused, never truncated.
 *
 * @param maxArchiveBytes size of the compressed archive as fetched
 * @param maxUnpackedBytes sum of the sizes of the files in the archive
 * @param maxEntries files, directories and symlinks in the archive
 */
public record BundleLimits(long maxArchiveBytes, long maxUnpackedBytes, int maxEntries) {

  /** 256 MiB compressed, 1 GiB unpacked, 50,000 entries. */
  public static final BundleLimits DEFAULT = new BundleLimits(256L << 20, 1L << 30, 50_000);

  public BundleLimits {
    if (maxArchiveBytes <= 0 || maxUnpackedBytes <= 0 || maxEntries <= 0) {
      throw new IllegalArgumentException("bundle limits must be positive");
    }
  }
}
