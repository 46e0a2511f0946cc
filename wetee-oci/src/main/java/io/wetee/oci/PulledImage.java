package io.wetee.oci;

import java.nio.file.Path;
import java.util.List;

/**
 * An image in the local cache, unpacked and ready to run.
 *
 * @param ref the pinned reference that was pulled (its digest may be an index's)
 * @param manifestDigest the linux/amd64 image manifest's digest (the rootfs directory's name)
 * @param layerDigests the layers' digests, base first
 * @param config the image's runtime configuration
 * @param rootfs the unpacked root file system; shared by every workload of this image: treat it as
 *     read-only
 */
public record PulledImage(
    ImageRef ref,
    String manifestDigest,
    List<String> layerDigests,
    ImageConfig config,
    Path rootfs) {
  /** Copies the layer list. */
  public PulledImage {
    layerDigests = List.copyOf(layerDigests);
  }
}
