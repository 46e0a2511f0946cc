package io.wetee.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigTest {
  @TempDir Path dir;

  private ObjectNode minimal() {
    return TestConfigs.config(
        5,
        "{}",
        "http://127.0.0.1:1/v1/quote",
        "s3cr3t-quoting-token",
        List.of(
            new AgentConfig.Member(1, "0x0000000000000000000000000000000000000001", "http://a"),
            new AgentConfig.Member(2, "0x0000000000000000000000000000000000000002", "http://b"),
            new AgentConfig.Member(3, "0x0000000000000000000000000000000000000003", "http://c"),
            new AgentConfig.Member(4, "0x0000000000000000000000000000000000000004", "http://d")),
        dir);
  }

  @Test
  void loadsAJsonFileAndFillsEveryDefault() throws Exception {
    ObjectNode c = minimal();
    c.remove("listen");
    c.remove("metrics");
    c.remove("retry");
    Path file = dir.resolve("agent.json");
    Files.writeString(file, c.toString());
    AgentConfig cfg = AgentConfig.load(file);
    assertThat(cfg.committee().quorum()).isEqualTo(3);
    assertThat(cfg.committee().members().get(0).address())
        .isEqualTo("0x0000000000000000000000000000000000000001");
    assertThat(cfg.listen()).isEqualTo(new AgentConfig.Listen("127.0.0.1", 7700));
    assertThat(cfg.logs()).isEqualTo(new AgentConfig.Logs(16_384, 8L << 20));
    assertThat(cfg.metrics()).isEqualTo(new AgentConfig.Metrics(5_000L, 17_280));
    assertThat(cfg.reattest()).isEqualTo(new AgentConfig.Reattest(900L, 30L));
    assertThat(cfg.retry()).isEqualTo(new AgentConfig.Retry(3, 2_000L));
    assertThat(cfg.restartFor(false).policy()).isEqualTo(AgentConfig.RestartMode.ALWAYS);
    assertThat(cfg.restartFor(true).policy()).isEqualTo(AgentConfig.RestartMode.NEVER);
    assertThat(cfg.toString()).doesNotContain("s3cr3t").contains("<redacted>");
  }

  @Test
  void readsTheRestartPolicyByItsKebabName() {
    ObjectNode c = minimal();
    c.putObject("restart").put("policy", "on-failure").put("maxRestarts", 3);
    AgentConfig.Restart r = TestConfigs.parse(c).restartFor(false);
    assertThat(r.policy()).isEqualTo(AgentConfig.RestartMode.ON_FAILURE);
    assertThat(r.maxRestarts()).isEqualTo(3);
    assertThat(r.initialBackoffMillis()).isEqualTo(500L);
  }

  @Test
  void rejectsUnknownFieldsMissingFieldsAndBadValuesNamingThem() {
    ObjectNode unknown = minimal().put("colour", "blue");
    assertThatThrownBy(() -> TestConfigs.parse(unknown))
        .isInstanceOf(AgentException.class)
        .hasMessageContaining("colour");
    ObjectNode noSpec = minimal();
    noSpec.remove("spec");
    assertThatThrownBy(() -> TestConfigs.parse(noSpec)).hasMessageContaining("spec is required");
    ObjectNode noToken = minimal();
    ((ObjectNode) noToken.get("evidence")).remove("token");
    assertThatThrownBy(() -> TestConfigs.parse(noToken))
        .hasMessageContaining("evidence.token is required for SIMULATED");
    ObjectNode badQuorum = minimal();
    ((ObjectNode) badQuorum.get("committee")).put("quorum", 5);
    assertThatThrownBy(() -> TestConfigs.parse(badQuorum))
        .hasMessageContaining("committee.quorum must be 1..members");
    ObjectNode badPolicy = minimal();
    badPolicy.putObject("restart").put("policy", "sometimes");
    assertThatThrownBy(() -> TestConfigs.parse(badPolicy))
        .hasMessageContaining("restart.policy must be always, on-failure or never");
  }

  @Test
  void readsYamlWhenTheFileSaysSo() throws Exception {
    Path file = dir.resolve("agent.yaml");
    Files.writeString(
        file,
        """
        workloadId: 1
        version: 2
        network: { chainId: 1, cloud: "0x00000000000000000000000000000000000c1001", committee: "0x00000000000000000000000000000000000c0111" }
        committee: { members: [{ index: 1, address: "0x0000000000000000000000000000000000000001", endpoint: "http://a" }] }
        spec: "{}"
        evidence: { type: CONFIGFS_TSM }
        """);
    AgentConfig c = AgentConfig.load(file);
    assertThat(c.version()).isEqualTo(2);
    assertThat(c.committee().quorum()).isEqualTo(1);
    assertThat(c.evidence().type()).isEqualTo(AgentConfig.EvidenceType.CONFIGFS_TSM);
  }
}
