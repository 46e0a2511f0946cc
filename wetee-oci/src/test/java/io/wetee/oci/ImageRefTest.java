package io.wetee.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageRefTest {
  private static final String DIGEST = "sha256:" + "0123456789abcdef".repeat(4);

  @Test
  void shortNameGetsDockerHubAndLibrary() {
    ImageRef ref = ImageRef.parse("busybox");
    assertThat(ref.registry()).isEqualTo("docker.io");
    assertThat(ref.repository()).isEqualTo("library/busybox");
    assertThat(ref.tag()).isEmpty();
    assertThat(ref.isPinned()).isFalse();
    assertThat(ref.manifestReference()).isEqualTo("latest");
    assertThat(ref).hasToString("docker.io/library/busybox");
  }

  @Test
  void userRepositoryOnDockerHubHasNoLibraryPrefix() {
    ImageRef ref = ImageRef.parse("wetee/hello:1.2");
    assertThat(ref.registry()).isEqualTo("docker.io");
    assertThat(ref.repository()).isEqualTo("wetee/hello");
    assertThat(ref.tag()).contains("1.2");
  }

  @Test
  void hostWithPortTagAndDigest() {
    ImageRef ref = ImageRef.parse("127.0.0.1:5000/team/app/web:v1@" + DIGEST);
    assertThat(ref.registry()).isEqualTo("127.0.0.1:5000");
    assertThat(ref.repository()).isEqualTo("team/app/web");
    assertThat(ref.tag()).contains("v1");
    assertThat(ref.digest()).contains(DIGEST);
    assertThat(ref.isPinned()).isTrue();
    assertThat(ref.manifestReference()).isEqualTo(DIGEST);
    assertThat(ref).hasToString("127.0.0.1:5000/team/app/web:v1@" + DIGEST);
  }

  @Test
  void localhostAndDottedHostsAreRegistries() {
    assertThat(ImageRef.parse("localhost/app").registry()).isEqualTo("localhost");
    assertThat(ImageRef.parse("ghcr.io/o/app@" + DIGEST).registry()).isEqualTo("ghcr.io");
    assertThat(ImageRef.parse("localhost:5000/app").repository()).isEqualTo("app");
  }

  @Test
  void pinningKeepsTheTagForDisplay() {
    ImageRef pinned = ImageRef.parse("reg.example/app:v2").withDigest(DIGEST);
    assertThat(pinned).hasToString("reg.example/app:v2@" + DIGEST);
    assertThat(ImageRef.parse(pinned.toString())).isEqualTo(pinned);
    assertThat(pinned.withTag("v3").digest()).isEqualTo(Optional.empty());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "Upper/Case",
        "reg.example/app@sha256:abc",
        "reg.example/app@sha512:" + "00000000000000000000000000000000",
        "reg.example/app@md5:0123",
        "reg.example/app:-badtag",
        "reg.example//app",
        "reg.example/app/",
        "reg.example/ap p",
        "reg.example/app:tag:more",
        "bad_host.example:x/app"
      })
  void refusesMalformedReferences(String text) {
    assertThatThrownBy(() -> ImageRef.parse(text))
        .isInstanceOfSatisfying(
            OciException.class, e -> assertThat(e.code()).isEqualTo("bad-reference"));
  }

  @Test
  void refusesAnUppercaseDigest() {
    assertThatThrownBy(
            () -> ImageRef.parse("reg.example/app@" + DIGEST.toUpperCase(java.util.Locale.ROOT)))
        .isInstanceOf(OciException.class)
        .hasMessageContaining("invalid digest");
  }
}
