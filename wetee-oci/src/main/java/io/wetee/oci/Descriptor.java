package io.wetee.oci;

/**
 * An OCI content descriptor: what a manifest says about a blob it references.
 *
 * @param mediaType the blob's media type
 * @param digest the blob's {@code sha256:<hex>} digest
 * @param size the blob's exact size in bytes
 */
public record Descriptor(String mediaType, String digest, long size) {
  /** Checks the digest's form and that the size is not negative. */
  public Descriptor {
    Digests.require(digest, "descriptor");
    if (size < 0) {
      throw new OciException(
          OciException.Reason.BAD_MANIFEST, "descriptor " + digest + " has negative size");
    }
  }
}
