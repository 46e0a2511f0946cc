package io.wetee.common.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WorkloadSpecTest {
  static final String HELLO =
      """
      name: hello
      kind: service
      tee: { types: [TDX, SEV_SNP, SIMULATED], minTcb: UpToDate, allowDebug: false }
      containers:
        - name: web
          image: registry.example/hello@sha256:abc
          command: [python3, app.py]
          env: { GREETING: hello }
          secretEnv: { API_KEY: api-key, DB: db-pass }
          files: [{ path: /etc/app/conf.json, secret: app-conf }]
          ports: [{ port: 8080, protocol: http, public: true }]
          resources: { cpu: 500m, memory: 256Mi, disk: 1Gi }
          health: { http: /health, intervalSeconds: 5 }
      """;

  @Test
  void parsesDesignExampleAndListsItsSecretNames() {
    WorkloadSpec s = WorkloadSpec.parseYaml(HELLO);
    assertThat(s.secretNames()).containsExactly("api-key", "app-conf", "db-pass");
    assertThat(s.containers().get(0).ports().get(0).exposed()).isTrue();
    assertThat(s.minTcbCode()).isZero();
  }

  @Test
  void canonicalJsonIsSortedCompactAndRoundTrips() {
    WorkloadSpec s = WorkloadSpec.parseYaml(HELLO);
    String json = s.canonicalText();
    assertThat(json)
        .isEqualTo(
            "{\"containers\":[{\"command\":[\"python3\",\"app.py\"],\"env\":{\"GREETING\":\"hello\"},"
                + "\"files\":[{\"path\":\"/etc/app/conf.json\",\"secret\":\"app-conf\"}],"
                + "\"health\":{\"http\":\"/health\",\"intervalSeconds\":5},"
                + "\"image\":\"registry.example/hello@sha256:abc\",\"name\":\"web\","
                + "\"ports\":[{\"port\":8080,\"protocol\":\"http\",\"public\":true}],"
                + "\"resources\":{\"cpu\":\"500m\",\"disk\":\"1Gi\",\"memory\":\"256Mi\"},"
                + "\"secretEnv\":{\"API_KEY\":\"api-key\",\"DB\":\"db-pass\"}}],"
                + "\"kind\":\"service\",\"name\":\"hello\","
                + "\"tee\":{\"allowDebug\":false,\"minTcb\":\"UpToDate\","
                + "\"types\":[\"TDX\",\"SEV_SNP\",\"SIMULATED\"]}}");
    WorkloadSpec back = WorkloadSpec.parseJson(json.getBytes(StandardCharsets.UTF_8));
    assertThat(back).isEqualTo(s);
    assertThat(back.canonicalText()).isEqualTo(json);
  }

  @Test
  void rejectsUnknownFieldsAndBrokenRules() {
    assertThatThrownBy(() -> WorkloadSpec.parseYaml(HELLO + "extra: 1\n"))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("extra");
    assertThatThrownBy(
            () -> WorkloadSpec.parseYaml("name: x\nkind: job\ncontainers: [{name: a, image: b}]"))
        .hasMessageContaining("kind must be service or task");
    assertThatThrownBy(() -> WorkloadSpec.parseYaml("name: x\nkind: service\ncontainers: []"))
        .hasMessageContaining("containers must not be empty");
    assertThatThrownBy(
            () ->
                WorkloadSpec.parseYaml(
                    "name: x\nkind: service\ntask: {timeoutSeconds: 3}\n"
                        + "containers: [{name: a, image: b}]"))
        .hasMessageContaining("only for kind: task");
    assertThatThrownBy(
            () ->
                WorkloadSpec.parseYaml(
                    "name: x\nkind: service\ntee: {types: [XEN]}\ncontainers: [{name: a, image: b}]"))
        .hasMessageContaining("unknown tee type XEN");
  }
}
