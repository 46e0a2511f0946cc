package io.wetee.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wetee.common.spec.WorkloadSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretDeliveryTest {
  @TempDir Path root;

  private static byte[] secret(String name) {
    return ("value of " + name).getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void writesSecretFilesWithMode600InPrivateDirectoriesUnderTheRoot() throws Exception {
    List<Path> written =
        SecretDelivery.writeFiles(
            root,
            List.of(
                new WorkloadSpec.FileMount("/etc/app/conf.json", "conf"),
                new WorkloadSpec.FileMount("/key.pem", "tls")),
            SecretDeliveryTest::secret);
    Path conf = root.resolve("etc/app/conf.json");
    assertThat(written).containsExactly(conf, root.resolve("key.pem"));
    assertThat(Files.readString(conf)).isEqualTo("value of conf");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(conf)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(conf.getParent())))
        .isEqualTo("rwx------");
    try (var files = Files.list(conf.getParent())) {
      assertThat(files).containsExactly(conf); // no temporary file left behind
    }
  }

  @Test
  void refusesFilePathsThatWouldEscapeTheRoot() {
    for (String bad : List.of("/etc/../../x", "/./x", "/a//b", "/")) {
      assertThatThrownBy(() -> SecretDelivery.target(root, bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not a plain absolute path");
    }
  }

  @Test
  void givesTheProgramOnlyRuntimeVariablesOfTheAgentThenSpecEnvThenSecrets() {
    Map<String, String> env =
        SecretDelivery.environment(
            Map.of(
                "PATH", "/usr/bin",
                "PORT", "31000",
                "WETEE_PORT_8080", "31000",
                "LD_PRELOAD", "/tmp/evil.so",
                "WETEE_SEAL_PASSPHRASE", "x"),
            Map.of("GREETING", "hello", "PATH", "/app/bin"),
            Map.of("API_KEY", "api-key"),
            SecretDeliveryTest::secret,
            Map.of("WETEE_INSTANCE", "0xabc"));
    assertThat(env)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "PATH", "/app/bin",
                "PORT", "31000",
                "WETEE_PORT_8080", "31000",
                "WETEE_INSTANCE", "0xabc",
                "GREETING", "hello",
                "API_KEY", "value of api-key"));
  }

  @Test
  void refusesASecretThatAnEnvironmentVariableCannotHold() {
    assertThatThrownBy(
            () ->
                SecretDelivery.environment(
                    Map.of(),
                    Map.of(),
                    Map.of("K", "bin"),
                    n -> new byte[] {(byte) 0xff},
                    Map.of()))
        .hasMessage("secret bin is not UTF-8 text");
    assertThatThrownBy(
            () ->
                SecretDelivery.environment(
                    Map.of(), Map.of(), Map.of("K", "nul"), n -> new byte[] {'a', 0}, Map.of()))
        .hasMessage("secret nul contains a NUL byte");
  }
}
