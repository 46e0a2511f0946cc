package io.wetee.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wetee.common.Secret;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bearer-token auth against a real docker-registry configured with {@code auth: token}. */
class TokenAuthIT {
  private static TokenService tokens;
  private static LocalRegistry registry;
  private static RegistryClient alice;
  private static TestImages.Built image;

  @TempDir Path cache;

  @BeforeAll
  static void start() {
    tokens = TokenService.start("alice", "s3cret");
    registry = LocalRegistry.startWithTokenAuth(tokens);
    alice =
        RegistryClient.builder().credentials(registry.host(), "alice", Secret.of("s3cret")).build();
    image = TestImages.busybox(alice, registry.ref("private/busybox", "1"));
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
    if (tokens != null) {
      tokens.close();
    }
  }

  @Test
  void pullsWithATokenFromTheTokenService() {
    int before = tokens.issued();
    RegistryClient fresh =
        RegistryClient.builder().credentials(registry.host(), "alice", Secret.of("s3cret")).build();

    PulledImage pulled = ImageStore.open(cache, fresh).pull(image.ref());

    assertThat(pulled.rootfs().resolve("bin/busybox")).isRegularFile();
    assertThat(fresh.resolve(registry.ref("private/busybox", "1")))
        .isEqualTo(image.manifestDigest());
    // One token for the repository's pull scope serves the manifest, config and layer requests.
    assertThat(tokens.issued() - before).isEqualTo(1);
  }

  @Test
  void anonymousPullIsUnauthorized() {
    assertThatThrownBy(() -> ImageStore.open(cache, RegistryClient.create()).pull(image.ref()))
        .isInstanceOfSatisfying(
            OciException.class, e -> assertThat(e.code()).isEqualTo("unauthorized"))
        .hasMessageContaining("anonymous access");
  }

  @Test
  void wrongPasswordIsUnauthorized() {
    RegistryClient mallory =
        RegistryClient.builder().credentials(registry.host(), "alice", Secret.of("guess")).build();
    assertThatThrownBy(() -> mallory.manifest(image.ref()))
        .isInstanceOfSatisfying(
            OciException.class, e -> assertThat(e.code()).isEqualTo("unauthorized"))
        .hasMessageContaining("credentials of alice");
  }
}
