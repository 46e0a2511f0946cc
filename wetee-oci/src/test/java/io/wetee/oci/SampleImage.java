package io.wetee.oci;

import java.nio.charset.StandardCharsets;

/**
 * A small image's documents written by hand (config with entrypoint, cmd, env and working dir; its
 * manifest; an index with an arm64 and the amd64 entry), for tests of whoever checks {@link
 * ImageDocuments}. Published in the test-jar.
 */
public final class SampleImage {
  public static final byte[] CONFIG =
      ("{\"os\":\"linux\",\"architecture\":\"amd64\",\"config\":{\"Entrypoint\":[\"/bin/busybox\"],"
              + "\"Cmd\":[\"httpd\",\"-f\"],\"Env\":[\"PATH=/bin\",\"GREETING=hi\"],"
              + "\"WorkingDir\":\"/www\"}}")
          .getBytes(StandardCharsets.UTF_8);
  public static final String LAYER = "sha256:" + "ab".repeat(32);
  public static final byte[] MANIFEST = manifest(CONFIG);
  public static final byte[] INDEX =
      ("{\"schemaVersion\":2,\"mediaType\":\""
              + Manifests.OCI_INDEX
              + "\",\"manifests\":["
              + "{\"mediaType\":\""
              + Manifests.OCI_MANIFEST
              + "\",\"digest\":\""
              + "sha256:"
              + "00".repeat(32)
              + "\",\"size\":1,"
              + "\"platform\":{\"os\":\"linux\",\"architecture\":\"arm64\"}},"
              + "{\"mediaType\":\""
              + Manifests.OCI_MANIFEST
              + "\",\"digest\":\""
              + ImageDocuments.sha256(MANIFEST)
              + "\",\"size\":"
              + MANIFEST.length
              + ","
              + "\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}}]}")
          .getBytes(StandardCharsets.UTF_8);

  public static byte[] manifest(byte[] config) {
    return ("{\"schemaVersion\":2,\"mediaType\":\""
            + Manifests.OCI_MANIFEST
            + "\","
            + "\"config\":{\"mediaType\":\""
            + Manifests.OCI_CONFIG
            + "\",\"digest\":\""
            + ImageDocuments.sha256(config)
            + "\",\"size\":"
            + config.length
            + "},"
            + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
            + "\"digest\":\""
            + LAYER
            + "\",\"size\":10}]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private SampleImage() {}

  /** {@code sha256:<hex>} of the bytes. */
  public static String digest(byte[] bytes) {
    return ImageDocuments.sha256(bytes);
  }
}
