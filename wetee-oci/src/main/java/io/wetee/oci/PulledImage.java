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
 * @param documents the index (if any), manifest and config bytes, for a party that checks the
 *     config against the pinned digest itself (the agent)
 */
public record PulledImage(
    ImageRef ref,
    String manifestDigest,
    List<String> layerDigests,
    ImageConfig config,
    Path rootfs,
    ImageDocuments documents) {
  /** Copies the layer list. */
  public PulledImage {
    layerDigests = List.copyOf(layerDigests);
  }
}
