package io.wetee.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wetee.common.spec.SpecException;
import io.wetee.oci.ImageDocuments;
import io.wetee.oci.SampleImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ContainerPlanTest {
  static final String PINNED = "127.0.0.1:5000/hello@" + SampleImage.digest(SampleImage.MANIFEST);
  static final ImageDocuments DOCS =
      new ImageDocuments(Optional.empty(), SampleImage.MANIFEST, SampleImage.CONFIG);

  static String spec(String image, String command, String env) {
    return "{\"name\":\"x\",\"kind\":\"service\",\"containers\":[{\"name\":\"a\",\"image\":\""
        + image
        + "\""
        + (command == null ? "" : ",\"command\":" + command)
        + (env == null ? "" : ",\"env\":" + env)
        + "}]}";
  }

  @Test
  void aVerifiedImageGivesEntrypointCmdEnvAndWorkingDirUnderTheSpecsOwnValues() {
    ContainerPlan p =
        ContainerPlan.of(spec(PINNED, null, "{\"GREETING\":\"hello\"}"), null, Optional.of(DOCS));
    assertThat(p.command()).containsExactly("/bin/busybox", "httpd", "-f");
    assertThat(p.env()).isEqualTo(Map.of("PATH", "/bin", "GREETING", "hello"));
    assertThat(p.workingDir()).contains(Path.of("/www"));
    ContainerPlan own =
        ContainerPlan.of(
            spec(PINNED, "[\"/bin/sh\",\"-c\",\"true\"]", null), null, Optional.of(DOCS));
    assertThat(own.command()).containsExactly("/bin/sh", "-c", "true");
    assertThat(own.env()).containsEntry("GREETING", "hi");
  }

  @Test
  void documentsOfAnotherImageOrAnUnpinnedSpecFailClosed() {
    byte[] other =
        new String(SampleImage.CONFIG, StandardCharsets.UTF_8)
            .replace("httpd", "nc")
            .getBytes(StandardCharsets.UTF_8);
    ImageDocuments forged =
        new ImageDocuments(Optional.empty(), SampleImage.manifest(other), other);
    assertThatThrownBy(() -> ContainerPlan.of(spec(PINNED, null, null), null, Optional.of(forged)))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("hashes to");
    assertThatThrownBy(
            () ->
                ContainerPlan.of(
                    spec("127.0.0.1:5000/hello:latest", null, null), null, Optional.of(DOCS)))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("not pinned");
    // Without documents a spec without command cannot run: the worker cannot drop them to win.
    assertThatThrownBy(() -> ContainerPlan.of(spec(PINNED, null, null), null, Optional.empty()))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("has no command");
    assertThat(ContainerPlan.of(spec(PINNED, "[\"/x\"]", null), null).command())
        .isEqualTo(List.of("/x"));
  }
}
