package io.wetee.worker;

import java.nio.file.Path;

/** The outcome of {@link BundleCache#fetch}. */
public sealed interface FetchResult {

  /**
   * The bundle is unpacked and verified.
   *
   * @param ref the bundle
   * @param root its unpacked directory in the cache: read-only by convention, shared by every
   *     instance that runs it; pass it as the launch spec's program directory
   * @param cached whether it was already in the cache (nothing fetched)
   */
  record Ready(BundleRef ref, Path root, boolean cached) implements FetchResult {}

  /** Nothing was unpacked into the cache. */
  record Refused(BundleRefusal reason, String detail) implements FetchResult {}
}
