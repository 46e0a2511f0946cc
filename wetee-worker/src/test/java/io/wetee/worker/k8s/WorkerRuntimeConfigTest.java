package io.wetee.worker.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wetee.worker.node.WorkerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker config's runtime choice: {@code local} by default, or a Kubernetes cluster. */
class WorkerRuntimeConfigTest {
  @TempDir Path dir;

  private WorkerConfig load(String runtime) throws IOException {
    Path f = dir.resolve("worker.yaml");
    Files.writeString(
        f, "deployment: d.json\ndataDir: data\naccount: { devAccount: 14 }\n" + runtime);
    return WorkerConfig.load(f, Map.of());
  }

  @Test
  void defaultsToTheLocalRuntime() throws IOException {
    assertThat(load("").runtime().isKubernetes()).isFalse();
    assertThat(load("runtime: local\n").runtime().isKubernetes()).isFalse();
  }

  @Test
  void readsTheKubernetesRuntimeWithAKubeconfigRelativeToTheFile() throws IOException {
    WorkerConfig c =
        load(
            "runtime:\n"
                + "  kind: kubernetes\n"
                + "  kubeconfig: kube/config\n"
                + "  namespacePrefix: tee-\n"
                + "  runtimeClasses: { TDX: kata-qemu-tdx, SEV_SNP: kata-qemu-snp }\n"
                + "  agentImage: registry.example/wetee-agent@sha256:"
                + "ab".repeat(32)
                + "\n");

    KubernetesRuntimeConfig k = c.runtime().kubernetes();
    assertThat(k.kubeconfig()).contains(dir.resolve("kube/config").toAbsolutePath());
    assertThat(k.namespacePrefix()).isEqualTo("tee-");
    assertThat(k.runtimeClassFor("SEV_SNP")).contains("kata-qemu-snp");
    assertThat(k.runtimeClassFor("SIMULATED")).isEmpty();
    assertThat(k.serviceType()).isEqualTo("ClusterIP");
  }

  @Test
  void openingTheRuntimeWithAMissingKubeconfigNamesTheFile() throws IOException {
    KubernetesRuntimeConfig k =
        load("runtime: { kind: kubernetes, kubeconfig: nowhere.yaml, agentImage: a }\n")
            .runtime()
            .kubernetes();

    assertThatThrownBy(() -> KubernetesRuntime.open(k))
        .isInstanceOf(io.wetee.worker.WorkerException.class)
        .hasMessage("cannot read the kubeconfig " + dir.resolve("nowhere.yaml").toAbsolutePath());
  }

  @Test
  void refusesAKubernetesRuntimeWithoutAgentImageAndUnknownKindsOrFields() {
    assertThatThrownBy(() -> load("runtime: { kind: kubernetes }\n"))
        .hasMessageContaining("agentImage");
    assertThatThrownBy(() -> load("runtime: docker\n")).hasMessageContaining("local or kubernetes");
    assertThatThrownBy(() -> load("runtime: { kind: kubernetes, agentImage: a, colour: red }\n"))
        .hasMessageContaining("colour");
    assertThatThrownBy(() -> load("runtime: { kind: local, agentImage: a }\n"))
        .hasMessageContaining("kind: kubernetes");
    assertThatThrownBy(
            () ->
                load(
                    "runtime: { kind: kubernetes, agentImage: a, runtimeClasses: { TDX: Bad_Name"
                        + " } }\n"))
        .hasMessageContaining("runtimeClasses.TDX");
  }
}
