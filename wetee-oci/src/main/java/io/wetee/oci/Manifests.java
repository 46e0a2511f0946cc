package io.wetee.oci;

import com.fasterxml.jackson.databind.JsonNode;
import io.wetee.common.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Parses manifest documents: image manifests and image indexes, OCI and Docker schema 2. */
final class Manifests {
  static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
  static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
  static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
  static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";

  /** Everything we accept, for the Accept header. */
  static final String ACCEPT =
      String.join(", ", OCI_INDEX, OCI_MANIFEST, DOCKER_LIST, DOCKER_MANIFEST);

  /** A parsed manifest document. */
  sealed interface Parsed permits Index, Image {}

  /** An image index; {@code chosen} is its linux/amd64 entry. */
  record Index(String mediaType, Descriptor chosen) implements Parsed {}

  /** An image manifest. */
  record Image(String mediaType, Descriptor config, List<Descriptor> layers) implements Parsed {}

  private Manifests() {}

  /**
   * Parses a verified document; {@code contentType} is the registry's Content-Type, used when the
   * document has no mediaType field.
   */
  static Parsed parse(byte[] document, String contentType, String digest) {
    JsonNode root;
    try {
      root = Json.lenient().readTree(document);
    } catch (IOException e) {
      throw bad("manifest " + digest + " is not JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw bad("manifest " + digest + " is not a JSON object");
    }
    String mediaType = root.path("mediaType").asText("");
    if (mediaType.isEmpty()) {
      mediaType = contentType.isEmpty() ? infer(root) : contentType.split(";")[0].strip();
    }
    return switch (mediaType) {
      case OCI_INDEX, DOCKER_LIST -> new Index(mediaType, amd64(root, digest));
      case OCI_MANIFEST, DOCKER_MANIFEST -> image(root, mediaType, digest);
      default ->
          throw new OciException(
              OciException.Reason.UNSUPPORTED_MEDIA_TYPE,
              "manifest " + digest + " has media type '" + mediaType + "'");
    };
  }

  private static String infer(JsonNode root) {
    if (root.has("manifests")) {
      return OCI_INDEX;
    }
    return root.has("layers") ? OCI_MANIFEST : "";
  }

  private static Image image(JsonNode root, String mediaType, String digest) {
    Descriptor config = descriptor(root.path("config"), "config of " + digest);
    if (!config.mediaType().equals(OCI_CONFIG) && !config.mediaType().equals(DOCKER_CONFIG)) {
      throw new OciException(
          OciException.Reason.UNSUPPORTED_MEDIA_TYPE,
          "manifest " + digest + " has config media type '" + config.mediaType() + "'");
    }
    JsonNode layers = root.path("layers");
    if (!layers.isArray()) {
      throw bad("manifest " + digest + " has no layers array");
    }
    List<Descriptor> out = new ArrayList<>();
    for (JsonNode layer : layers) {
      Descriptor d = descriptor(layer, "layer of " + digest);
      if (!LayerUnpacker.isSupported(d.mediaType())) {
        throw new OciException(
            OciException.Reason.UNSUPPORTED_MEDIA_TYPE,
            "layer "
                + d.digest()
                + " has media type '"
                + d.mediaType()
                + "'"
                + (d.mediaType().endsWith("zstd") ? " (zstd is not supported)" : ""));
      }
      out.add(d);
    }
    return new Image(mediaType, config, out);
  }

  private static Descriptor amd64(JsonNode root, String digest) {
    JsonNode manifests = root.path("manifests");
    if (!manifests.isArray()) {
      throw bad("index " + digest + " has no manifests array");
    }
    Optional<Descriptor> found = Optional.empty();
    List<String> seen = new ArrayList<>();
    for (JsonNode entry : manifests) {
      String os = entry.path("platform").path("os").asText("");
      String arch = entry.path("platform").path("architecture").asText("");
      seen.add(os + "/" + arch);
      if (os.equals("linux") && arch.equals("amd64")) {
        found = Optional.of(descriptor(entry, "entry of index " + digest));
        break;
      }
    }
    return found.orElseThrow(
        () ->
            new OciException(
                OciException.Reason.NO_PLATFORM,
                "index " + digest + " has no linux/amd64 manifest (it has " + seen + ")"));
  }

  private static Descriptor descriptor(JsonNode node, String what) {
    if (!node.isObject()
        || !node.path("digest").isTextual()
        || !node.path("mediaType").isTextual()
        || !node.path("size").canConvertToLong()) {
      throw bad(what + " is not a descriptor with mediaType, digest and size");
    }
    if (!Digests.isValid(node.path("digest").asText())) {
      throw bad(what + " has an invalid or non-sha256 digest " + node.path("digest").asText());
    }
    return new Descriptor(
        node.path("mediaType").asText(), node.path("digest").asText(), node.path("size").asLong());
  }

  private static OciException bad(String detail) {
    return new OciException(OciException.Reason.BAD_MANIFEST, detail);
  }
}
