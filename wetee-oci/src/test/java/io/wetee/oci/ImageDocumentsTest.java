package io.wetee.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ImageDocumentsTest {
  static final byte[] CONFIG = SampleImage.CONFIG;
  static final byte[] MANIFEST = SampleImage.MANIFEST;
  static final byte[] INDEX = SampleImage.INDEX;

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
                new ImageDocuments(Optional.empty(), SampleImage.manifest(otherConfig), otherConfig)
                    .verify(pinned))
        .isInstanceOfSatisfying(
            OciException.class,
            e -> assertThat(e.reason()).isEqualTo(OciException.Reason.DIGEST_MISMATCH));
    // An index pinned, but the manifest of another image given.
    assertThatThrownBy(
            () ->
                new ImageDocuments(
                        Optional.of(INDEX), SampleImage.manifest(otherConfig), otherConfig)
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
