package io.wetee.oci;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The documents that tie a pinned image reference to its config: the index (when the reference's
 * digest names one), the linux/amd64 image manifest and the config blob. Whoever holds the pinned
 * digest (for example the agent inside the TEE, from the spec it was attested with) checks the
 * chain with {@link #verify} and so can trust the config's entrypoint, cmd and env even though the
 * bytes came from an untrusted party (the worker).
 *
 * @param index the image index, when the pinned digest is an index's
 * @param manifest the image manifest
 * @param config the image config blob
 */
@SuppressWarnings("ArrayRecordComponent") // copied in and out
public record ImageDocuments(Optional<byte[]> index, byte[] manifest, byte[] config) {

  /** Copies the arrays. */
  public ImageDocuments {
    index = index.map(byte[]::clone);
    manifest = manifest.clone();
    config = config.clone();
  }

  @Override
  public byte[] manifest() {
    return manifest.clone();
  }

  @Override
  public byte[] config() {
    return config.clone();
  }

  /**
   * Checks every link from {@code pinnedDigest} down to the config: the index (or the manifest)
   * hashes to the pinned digest, the index's linux/amd64 entry to the manifest, the manifest's
   * config descriptor (digest and size) to the config; then parses the config.
   *
   * @throws OciException {@code digest-mismatch} for any broken link, {@code bad-manifest} or
   *     {@code unsupported-media-type} for a document of the wrong shape, {@code no-platform}
   */
  public ImageConfig verify(String pinnedDigest) {
    Digests.require(pinnedDigest, "pinned digest");
    String manifestDigest = pinnedDigest;
    if (index.isPresent()) {
      check(index.get(), pinnedDigest, "index");
      if (!(Manifests.parse(index.get(), "", pinnedDigest) instanceof Manifests.Index i)) {
        throw new OciException(
            OciException.Reason.BAD_MANIFEST, "document " + pinnedDigest + " is not an index");
      }
      manifestDigest = i.chosen().digest();
    }
    check(manifest, manifestDigest, "manifest");
    if (!(Manifests.parse(manifest, "", manifestDigest) instanceof Manifests.Image image)) {
      throw new OciException(
          OciException.Reason.BAD_MANIFEST,
          "document " + manifestDigest + " is not an image manifest");
    }
    Descriptor c = image.config();
    if (c.size() != config.length || config.length > ImageStore.MAX_CONFIG_BYTES) {
      throw new OciException(
          OciException.Reason.DIGEST_MISMATCH,
          "config has " + config.length + " bytes, the manifest says " + c.size());
    }
    check(config, c.digest(), "config");
    return ImageConfig.parse(config);
  }

  private static void check(byte[] bytes, String digest, String what) {
    String actual = sha256(bytes);
    if (!MessageDigest.isEqual(
        actual.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
        digest.getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
      throw new OciException(
          OciException.Reason.DIGEST_MISMATCH, what + " hashes to " + actual + ", not " + digest);
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImageDocuments d
        && d.index.isPresent() == index.isPresent()
        && (index.isEmpty() || Arrays.equals(d.index.get(), index.get()))
        && Arrays.equals(d.manifest, manifest)
        && Arrays.equals(d.config, config);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(manifest) * 31 + Arrays.hashCode(config);
  }

  @Override
  public String toString() {
    return "ImageDocuments[index=" + index.isPresent() + ", manifest=" + manifest.length + " B]";
  }
}
