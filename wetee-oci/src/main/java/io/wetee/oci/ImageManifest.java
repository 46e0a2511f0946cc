package io.wetee.oci;

import java.util.List;
import java.util.Optional;

/**
 * An image manifest for linux/amd64, verified against its digest.
 *
 * @param digest the manifest's digest
 * @param mediaType OCI or Docker schema 2 manifest media type
 * @param config the config blob
 * @param layers the layer blobs, base first
 * @param indexDigest the image index (manifest list) this manifest was chosen from, if any
 */
public record ImageManifest(
    String digest,
    String mediaType,
    Descriptor config,
    List<Descriptor> layers,
    Optional<String> indexDigest) {
  /** Copies the layer list. */
  public ImageManifest {
    layers = List.copyOf(layers);
  }

  /** The layer digests in order. */
  public List<String> layerDigests() {
    return layers.stream().map(Descriptor::digest).toList();
  }
}
