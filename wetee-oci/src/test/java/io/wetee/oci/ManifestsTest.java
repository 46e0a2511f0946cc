package io.wetee.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestsTest {
  private static final String A = "sha256:" + "a".repeat(64);
  private static final String B = "sha256:" + "b".repeat(64);

  private static byte[] bytes(String json) {
    return json.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void dockerManifestListChoosesLinuxAmd64() {
    byte[] list =
        bytes(
            "{'schemaVersion':2,'mediaType':'application/vnd.docker.distribution.manifest.list.v2+json',"
                + "'manifests':[{'mediaType':'application/vnd.docker.distribution.manifest.v2+json',"
                + "'digest':'"
                + A
                + "','size':10,'platform':{'os':'linux','architecture':'arm64'}},"
                + "{'mediaType':'application/vnd.docker.distribution.manifest.v2+json','digest':'"
                + B
                + "','size':11,'platform':{'os':'linux','architecture':'amd64'}}]}");
    var parsed = Manifests.parse(list, "", "sha256:" + "c".repeat(64));
    assertThat(parsed).isInstanceOf(Manifests.Index.class);
    assertThat(((Manifests.Index) parsed).chosen())
        .isEqualTo(new Descriptor("application/vnd.docker.distribution.manifest.v2+json", B, 11));
  }

  @Test
  void manifestWithoutMediaTypeFieldUsesTheContentType() {
    byte[] manifest =
        bytes(
            "{'schemaVersion':2,'config':{'mediaType':'application/vnd.oci.image.config.v1+json',"
                + "'digest':'"
                + A
                + "','size':2},'layers':[{'mediaType':'application/vnd.oci.image.layer.v1.tar+gzip',"
                + "'digest':'"
                + B
                + "','size':3}]}");
    var parsed =
        (Manifests.Image) Manifests.parse(manifest, Manifests.OCI_MANIFEST + "; charset=utf-8", A);
    assertThat(parsed.layers()).extracting(Descriptor::digest).containsExactly(B);
  }

  @Test
  void zstdLayerIsUnsupported() {
    byte[] manifest =
        bytes(
            "{'schemaVersion':2,'mediaType':'application/vnd.oci.image.manifest.v1+json',"
                + "'config':{'mediaType':'application/vnd.oci.image.config.v1+json','digest':'"
                + A
                + "','size':2},'layers':[{'mediaType':'application/vnd.oci.image.layer.v1.tar+zstd',"
                + "'digest':'"
                + B
                + "','size':3}]}");
    assertThatThrownBy(() -> Manifests.parse(manifest, "", A))
        .isInstanceOfSatisfying(
            OciException.class, e -> assertThat(e.code()).isEqualTo("unsupported-media-type"))
        .hasMessageContaining("zstd");
  }

  @Test
  void schema1AndGarbageAreRefused() {
    assertThatThrownBy(
            () ->
                Manifests.parse(
                    bytes("{'schemaVersion':1,'fsLayers':[]}"),
                    "application/vnd.docker.distribution.manifest.v1+prettyjws",
                    A))
        .isInstanceOfSatisfying(
            OciException.class, e -> assertThat(e.code()).isEqualTo("unsupported-media-type"));
    assertThatThrownBy(() -> Manifests.parse(bytes("[1,2]"), "", A))
        .isInstanceOfSatisfying(
            OciException.class, e -> assertThat(e.code()).isEqualTo("bad-manifest"));
    assertThatThrownBy(
            () ->
                Manifests.parse(
                    bytes(
                        "{'mediaType':'application/vnd.oci.image.manifest.v1+json','config':"
                            + "{'mediaType':'application/vnd.oci.image.config.v1+json',"
                            + "'digest':'sha256:short','size':1},'layers':[]}"),
                    "",
                    A))
        .isInstanceOfSatisfying(
            OciException.class, e -> assertThat(e.code()).isEqualTo("bad-manifest"));
  }

  @Test
  void imageConfigIsParsedAndPlatformChecked() {
    ImageConfig config =
        ImageConfig.parse(
            bytes(
                "{'os':'linux','architecture':'amd64','config':{'Entrypoint':['/init'],"
                    + "'Cmd':['serve','--port','80'],'Env':['A=1'],'User':'1000:1000',"
                    + "'ExposedPorts':{'80/tcp':{},'53/udp':{}}}}"));
    assertThat(config)
        .isEqualTo(
            new ImageConfig(
                List.of("/init"),
                List.of("serve", "--port", "80"),
                List.of("A=1"),
                "/",
                "1000:1000",
                java.util.Set.of("80/tcp", "53/udp")));
    assertThat(config.command()).containsExactly("/init", "serve", "--port", "80");
    assertThatThrownBy(
            () -> ImageConfig.parse(bytes("{'os':'linux','architecture':'arm64','config':{}}")))
        .isInstanceOfSatisfying(
            OciException.class, e -> assertThat(e.code()).isEqualTo("no-platform"));
  }

  @Test
  void challengeParamsAreParsed() {
    Challenge c =
        Challenge.parse(
                "Bearer realm=\"https://auth.example/token\",service=\"registry.example\","
                    + "scope=\"repository:a/b:pull,push\"")
            .orElseThrow();
    assertThat(c.scheme()).isEqualTo("bearer");
    assertThat(c.params())
        .containsEntry("realm", "https://auth.example/token")
        .containsEntry("service", "registry.example")
        .containsEntry("scope", "repository:a/b:pull,push");
  }
}
