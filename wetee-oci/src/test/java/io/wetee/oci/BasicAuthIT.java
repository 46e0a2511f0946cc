package io.wetee.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wetee.common.Secret;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTP Basic auth against a real docker-registry configured with {@code auth: htpasswd}. */
class BasicAuthIT {
  @TempDir Path cache;

  @Test
  void pushesAndPullsWithBasicCredentialsAndRefusesWithout() {
    try (LocalRegistry registry = LocalRegistry.startWithBasicAuth("bob", "hunter2")) {
      RegistryClient bob =
          RegistryClient.builder()
              .credentials(registry.host(), "bob", Secret.of("hunter2"))
              .build();
      TestImages.Built image = TestImages.busybox(bob, registry.ref("basic/busybox", "1"));

      assertThat(ImageStore.open(cache, bob).pull(image.ref()).rootfs().resolve("bin/busybox"))
          .isRegularFile();
      assertThatThrownBy(() -> RegistryClient.create().manifest(image.ref()))
          .isInstanceOfSatisfying(
              OciException.class, e -> assertThat(e.code()).isEqualTo("unauthorized"))
          .hasMessageContaining("requires credentials");
      RegistryClient wrong =
          RegistryClient.builder().credentials(registry.host(), "bob", Secret.of("nope")).build();
      assertThatThrownBy(() -> wrong.manifest(image.ref()))
          .isInstanceOfSatisfying(
              OciException.class, e -> assertThat(e.code()).isEqualTo("unauthorized"));
    }
  }
}
