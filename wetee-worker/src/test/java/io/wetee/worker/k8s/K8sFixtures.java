package io.wetee.worker.k8s;

import io.wetee.worker.spi.FileToWrite;
import io.wetee.worker.spi.ImageRoot;
import io.wetee.worker.spi.InstanceId;
import io.wetee.worker.spi.LaunchSpec;
import io.wetee.worker.spi.Limits;
import io.wetee.worker.spi.WorkloadMeta;
import java.util.Optional;

/** Launch specs shaped like the worker's: the agent as the command, its config as a file. */
final class K8sFixtures {
  static final String OWNER = "0xAbCdEf0123456789aBcDeF0123456789AbCdEf01";
  static final String NAMESPACE = "wetee-abcdef0123456789abcdef0123456789abcdef01";
  static final String SPEC_HASH = "0x" + "1f".repeat(32);
  static final String DIGEST = "sha256:" + "ab".repeat(32);
  static final String AGENT_IMAGE = "registry.example/wetee-agent@sha256:" + "cd".repeat(32);

  /** The workload spec the agent config carries: it names secrets, never their values. */
  static final String SPEC_TEXT =
      "{\"containers\":[{\"image\":\"registry.example/hello@"
          + DIGEST
          + "\",\"name\":\"web\",\"secretEnv\":{\"API_KEY\":\"api-key\"},"
          + "\"files\":[{\"path\":\"/etc/app/conf.json\",\"secret\":\"app-conf\"}],"
          + "\"ports\":[{\"port\":8080,\"protocol\":\"http\",\"public\":true}]}],"
          + "\"kind\":\"service\",\"name\":\"hello\"}";

  private K8sFixtures() {}

  static LaunchSpec service(long workload, long version, String tee) {
    return base(
            InstanceId.of("w" + workload + "-v" + version),
            workload,
            version,
            WorkloadMeta.Kind.SERVICE,
            tee)
        .port(8080)
        .port(9090)
        .build();
  }

  static LaunchSpec task(long workload, long run) {
    return base(
            InstanceId.of("w" + workload + "-v1-r" + run),
            workload,
            1,
            WorkloadMeta.Kind.TASK,
            "TDX")
        .build();
  }

  static LaunchSpec.Builder base(
      InstanceId id, long workload, long version, WorkloadMeta.Kind kind, String tee) {
    String agentConfig =
        "{\"workloadId\":"
            + workload
            + ",\"version\":"
            + version
            + ",\"spec\":"
            + quote(SPEC_TEXT)
            + ",\"evidence\":{\"type\":\"CONFIGFS_TSM\"},\"listen\":{\"host\":\"0.0.0.0\","
            + "\"port\":7700}}";
    return LaunchSpec.builder(id, Long.toString(workload), version)
        .image(new ImageRoot("registry.example/hello:1.0", DIGEST, Optional.empty()))
        .command(
            "/wetee/agent/bin/java",
            "-cp",
            "/wetee/agent/lib/*",
            "io.wetee.agent.AgentMain",
            "--config",
            "/work/agent.json")
        .workingDir("/work")
        .env("LANG", "C.UTF-8")
        .file(FileToWrite.text("agent.json", agentConfig))
        .limits(Limits.DEFAULT.withCpuMillis(1500).withMemoryBytes(768L << 20))
        .workload(new WorkloadMeta(kind, OWNER, tee, SPEC_HASH, Optional.of("/health")));
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
