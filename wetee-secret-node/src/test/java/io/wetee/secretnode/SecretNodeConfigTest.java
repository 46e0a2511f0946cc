package io.wetee.secretnode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wetee.attestation.TcbStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretNodeConfigTest {
  @TempDir Path dir;

  @Test
  void loadsYamlThenEnvironmentResolvesPathsAndRedactsThePassphrase() throws Exception {
    Path file = dir.resolve("node.yaml");
    Files.writeString(
        file,
        """
        deployment: d.json
        dataDir: data
        listen: { port: 7200 }
        account: { keyFile: k.hex }
        passphrase: from-file
        release: { allowSimulated: true, worstTcb: UpToDate }
        """);
    SecretNodeConfig c = SecretNodeConfig.load(file, Map.of("WETEE_SEAL_PASSPHRASE", "from-env"));
    assertThat(c.deployment()).isEqualTo(dir.resolve("d.json"));
    assertThat(c.dataDir()).isEqualTo(dir.resolve("data"));
    assertThat(c.account().keyFile()).isEqualTo(dir.resolve("k.hex"));
    assertThat(c.listen().host()).isEqualTo("127.0.0.1");
    assertThat(c.publicEndpoint(7200)).isEqualTo("http://127.0.0.1:7200");
    assertThat(c.release().worstTcb()).isEqualTo(TcbStatus.UpToDate);
    assertThat(c.release().verdictValiditySeconds()).isEqualTo(3600);
    assertThat(c.rateLimit().burst()).isEqualTo(40);
    assertThat(new String(c.passphrase().reveal())).isEqualTo("from-env");
    assertThat(c.toString()).contains("passphrase=<redacted>").doesNotContain("from-");
  }

  @Test
  void rejectsUnknownFieldsAndMissingRequiredOnes() throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "deployment: d.json\ndataDir: x\nlisten: { prot: 1 }\n");
    assertThatThrownBy(() -> SecretNodeConfig.load(file, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("prot");
    Files.writeString(file, "dataDir: x\n");
    assertThatThrownBy(() -> SecretNodeConfig.load(file, Map.of()))
        .hasMessageContaining("deployment and dataDir are required");
  }
}
