package io.wetee.worker.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.wetee.common.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The user namespace part of an image instance's config.json, without running runc. */
class RuncBundleTest {
  @TempDir Path dir;

  private JsonNode write(int hostUid, ImageUser user) throws IOException {
    Path image = Files.createDirectories(dir.resolve("image/bin"));
    Path work = Files.createDirectories(dir.resolve("work"));
    RuncBundle.write(
        dir.resolve("bundle"),
        new RuncBundle.Inputs(
            image.getParent(),
            work,
            Optional.empty(),
            hostUid,
            user,
            "i1",
            "/work",
            Map.of(),
            List.of("/bin/sh"),
            1 << 20,
            0,
            0,
            0,
            List.of(),
            "wetee/i1"));
    return Json.strict().readTree(dir.resolve("bundle/config.json").toFile());
  }

  @Test
  void aRootImageMapsRootAloneOntoTheInstancesUid() throws Exception {
    JsonNode c = write(200_007, ImageUser.ROOT);

    assertThat(c.at("/process/user").toString()).isEqualTo("{\"uid\":0,\"gid\":0}");
    assertThat(c.at("/linux/uidMappings").toString())
        .isEqualTo("[{\"containerID\":0,\"hostID\":200007,\"size\":1}]");
    assertThat(c.at("/linux/gidMappings").toString())
        .isEqualTo("[{\"containerID\":0,\"hostID\":200007,\"size\":1}]");
    assertThat(c.at("/linux/namespaces").findValuesAsText("type"))
        .containsExactly("pid", "ipc", "uts", "mount", "user");
  }

  @Test
  void anImageUserMapsOntoTheInstancesUidAndRootOntoTheOverflowId() throws Exception {
    JsonNode c = write(200_007, new ImageUser(1000, 0));

    assertThat(c.at("/process/user").toString()).isEqualTo("{\"uid\":1000,\"gid\":0}");
    assertThat(c.at("/linux/uidMappings").toString())
        .isEqualTo(
            "[{\"containerID\":1000,\"hostID\":200007,\"size\":1},"
                + "{\"containerID\":0,\"hostID\":65534,\"size\":1}]");
    assertThat(c.at("/linux/gidMappings").toString())
        .isEqualTo("[{\"containerID\":0,\"hostID\":200007,\"size\":1}]");
  }

  @Test
  void refusesHostUidsThatWouldBeRootOrCollideWithTheNamespacesRoot() {
    for (int uid : new int[] {0, 65534}) {
      assertThatThrownBy(() -> write(uid, new ImageUser(1000, 1000)))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("cannot run as host uid " + uid);
    }
  }
}
