package io.wetee.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ImageDocumentsTest {
  static final byte[] CONFIG =
      ("{\"os\":\"linux\",\"architecture\":\"amd64\",\"config\":{\"Entrypoint\":[\"/bin/busybox\"],"
              + "\"Cmd\":[\"httpd\",\"-f\"],\"Env\":[\"PATH=/bin\",\"GREETING=hi\"],"
              + "\"WorkingDir\":\"/www\"}}")
          .getBytes(StandardCharsets.UTF_8);
  static final String LAYER = "sha256:" + "ab".repeat(32);
  static final byte[] MANIFEST = manifest(CONFIG);
  static final byte[] INDEX =
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

  static byte[] manifest(byte[] config) {
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

  @Test
  void aManifestOrAnIndexChainsToTheConfig() {
    ImageConfig c =
        new ImageDocuments(Optional.empty(), MANIFEST, CONFIG)
            .verify(ImageDocuments.sha256(MANIFEST));
    assertThat(c.command()).isEqualTo(List.of("/bin/busybox", "httpd", "-f"));
    assertThat(c.env()).containsExactly("PATH=/bin", "GREETING=hi");
    assertThat(c.workingDir()).isEqualTo("/www");
    ImageConfig viaIndex =
        new ImageDocuments(Optional.of(INDEX), MANIFEST, CONFIG)
            .verify(ImageDocuments.sha256(INDEX));
    assertThat(viaIndex).isEqualTo(c);
  }

  @Test
  void everyBrokenLinkIsADigestMismatch() {
    byte[] otherConfig =
        new String(CONFIG, StandardCharsets.UTF_8)
            .replace("httpd", "nc")
            .getBytes(StandardCharsets.UTF_8);
    String pinned = ImageDocuments.sha256(MANIFEST);
    // A config the manifest does not name (same size, other bytes).
    assertThatThrownBy(
            () -> new ImageDocuments(Optional.empty(), MANIFEST, pad(otherConfig)).verify(pinned))
        .isInstanceOf(OciException.class)
        .hasMessageContaining("config");
    // A consistent manifest + config, but not the pinned one.
    assertThatThrownBy(
            () ->
                new ImageDocuments(Optional.empty(), manifest(otherConfig), otherConfig)
                    .verify(pinned))
        .isInstanceOfSatisfying(
            OciException.class,
            e -> assertThat(e.reason()).isEqualTo(OciException.Reason.DIGEST_MISMATCH));
    // An index pinned, but the manifest of another image given.
    assertThatThrownBy(
            () ->
                new ImageDocuments(Optional.of(INDEX), manifest(otherConfig), otherConfig)
                    .verify(ImageDocuments.sha256(INDEX)))
        .isInstanceOfSatisfying(
            OciException.class,
            e -> assertThat(e.reason()).isEqualTo(OciException.Reason.DIGEST_MISMATCH));
    // The index itself not the pinned one.
    assertThatThrownBy(
            () -> new ImageDocuments(Optional.of(INDEX), MANIFEST, CONFIG).verify(pinned))
        .isInstanceOfSatisfying(
            OciException.class,
            e -> assertThat(e.reason()).isEqualTo(OciException.Reason.DIGEST_MISMATCH));
  }

  private static byte[] pad(byte[] b) {
    byte[] out = java.util.Arrays.copyOf(b, CONFIG.length);
    java.util.Arrays.fill(out, b.length, out.length, (byte) ' ');
    return out;
  }
}
