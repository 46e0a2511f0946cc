package io.wetee.worker;

import java.net.URI;
import java.nio.file.Path;

/** The outcome of {@link BundlePacker#pack}. */
public sealed interface PackResult {

  /**
   * The archive is written.
   *
   * @param archive the tar.gz file
   * @param sha256 lower-case hex SHA-256 of its bytes
   * @param bytes its size
   * @param entries directories, files and symlinks in it
   */
  record Packed(Path archive, String sha256, long bytes, int entries) implements PackResult {

    /** The reference to this archive served from {@code location}. */
    public BundleRef refAt(URI location) {
      return new BundleRef(location, sha256);
    }

    /** The reference to this archive where it was written ({@code file:} URI). */
    public BundleRef fileRef() {
      return refAt(archive.toAbsolutePath().toUri());
    }
  }

  /** Nothing was written; the program directory holds something a bundle may not. */
  record Refused(BundleRefusal reason, String detail) implements PackResult {}
}
