package io.wetee.agent;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wetee.common.Json;
import io.wetee.common.spec.WorkloadSpec;
import java.nio.file.Path;
import java.util.List;

/** Agent configs as the worker writes them: JSON built field by field. */
final class TestConfigs {
  static final String CLOUD = "0x00000000000000000000000000000000000c1001";
  static final String COMMITTEE = "0x00000000000000000000000000000000000c0111";

  private TestConfigs() {}

  /** The canonical JSON text of a YAML spec. */
  static String spec(String yaml) {
    return WorkloadSpec.parseYaml(yaml).canonicalText();
  }

  /**
   * A config for workload {@code id} v1 on chain 31337 with a SIMULATED quoting service, listening
   * on a free loopback port, files under {@code dir/files}, the program in {@code dir/work}.
   */
  static ObjectNode config(
      long id,
      String specText,
      String quotingUrl,
      String token,
      List<AgentConfig.Member> members,
      Path dir) {
    ObjectNode c = Json.strict().createObjectNode();
    c.put("workloadId", id).put("version", 1).put("spec", specText);
    c.putObject("network").put("chainId", 31337).put("cloud", CLOUD).put("committee", COMMITTEE);
    ObjectNode committee = c.putObject("committee");
    ArrayNode ms = committee.putArray("members");
    for (AgentConfig.Member m : members) {
      ms.addObject()
          .put("index", m.index())
          .put("address", m.address())
          .put("endpoint", m.endpoint());
    }
    committee.put("timeoutMillis", 3000);
    c.putObject("evidence")
        .put("type", "SIMULATED")
        .put("quotingUrl", quotingUrl)
        .put("token", token);
    c.putObject("listen").put("host", "127.0.0.1").put("port", 0);
    c.putObject("paths")
        .put("filesRoot", dir.resolve("files").toString())
        .put("workDir", dir.resolve("work").toString());
    c.putObject("metrics").put("intervalMillis", 200);
    c.putObject("retry").put("attempts", 1);
    return c;
  }

  static AgentConfig parse(ObjectNode c) {
    return AgentConfig.parse(c.toString());
  }
}
