package io.wetee.worker.k8s;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Settings of the Kubernetes runtime (worker config {@code runtime: {kind: kubernetes, ...}}).
 *
 * @param kubeconfig the kubeconfig file; absent: fabric8's usual discovery ({@code KUBECONFIG},
 *     {@code ~/.kube/config}, or the in-cluster service account)
 * @param context the kubeconfig context to use; absent: its current context
 * @param namespacePrefix prefix of the per-owner namespaces ({@code <prefix><owner hex>})
 * @param runtimeClasses TEE type to RuntimeClass name; a TEE type without an entry runs without a
 *     runtime class (the cluster's default runtime: right for {@code SIMULATED} only)
 * @param agentImage the image holding the agent (copied into every pod by an init container),
 *     pinned by digest in production
 * @param agentSource the directory inside {@code agentImage} that holds the agent
 * @param serviceType the type of the Service per exposed port ({@code ClusterIP} or {@code
 *     NodePort})
 * @param imagePullPolicy the pull policy of workload and agent images
 */
public record KubernetesRuntimeConfig(
    Optional<Path> kubeconfig,
    Optional<String> context,
    String namespacePrefix,
    Map<String, String> runtimeClasses,
    String agentImage,
    String agentSource,
    String serviceType,
    String imagePullPolicy) {

  /** Where the agent appears inside every workload container (read-only). */
  public static final String AGENT_MOUNT = "/wetee/agent";

  /**
   * The agent's Java launcher inside the pod: the agent image's {@code agentSource} holds a
   * self-contained Java runtime at {@code bin/java} (a workload image need not have Java).
   */
  public static final String AGENT_JAVA = AGENT_MOUNT + "/bin/java";

  /** The agent's class path inside the pod: every jar in {@code lib/} of {@code agentSource}. */
  public static final String AGENT_CLASS_PATH = AGENT_MOUNT + "/lib/*";

  /** The default TEE type to RuntimeClass map of the Confidential Containers operator. */
  public static final Map<String, String> COCO_RUNTIME_CLASSES =
      Map.of("TDX", "kata-qemu-tdx", "SEV_SNP", "kata-qemu-snp");

  private static final Pattern PREFIX = Pattern.compile("[a-z0-9]([a-z0-9-]{0,14})?");
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  public KubernetesRuntimeConfig {
    kubeconfig = kubeconfig == null ? Optional.empty() : kubeconfig.map(Path::toAbsolutePath);
    context = context == null ? Optional.empty() : context;
    namespacePrefix = namespacePrefix == null ? "wetee-" : namespacePrefix;
    if (!PREFIX.matcher(namespacePrefix).matches()) {
      throw new IllegalArgumentException(
          "namespacePrefix must be 1 to 16 lower-case letters, digits or '-', got "
              + namespacePrefix);
    }
    runtimeClasses = runtimeClasses == null ? COCO_RUNTIME_CLASSES : Map.copyOf(runtimeClasses);
    for (var e : runtimeClasses.entrySet()) {
      if (!DNS_LABEL.matcher(e.getValue()).matches()) {
        throw new IllegalArgumentException(
            "runtimeClasses." + e.getKey() + " is not a valid RuntimeClass name: " + e.getValue());
      }
    }
    if (agentImage == null || agentImage.isBlank()) {
      throw new IllegalArgumentException("the kubernetes runtime needs agentImage");
    }
    agentSource = agentSource == null ? "/opt/wetee-agent" : agentSource;
    if (!agentSource.startsWith("/")) {
      throw new IllegalArgumentException("agentSource must be absolute: " + agentSource);
    }
    serviceType = serviceType == null ? "ClusterIP" : serviceType;
    if (!List.of("ClusterIP", "NodePort").contains(serviceType)) {
      throw new IllegalArgumentException("serviceType must be ClusterIP or NodePort");
    }
    imagePullPolicy = imagePullPolicy == null ? "IfNotPresent" : imagePullPolicy;
    if (!List.of("Always", "IfNotPresent", "Never").contains(imagePullPolicy)) {
      throw new IllegalArgumentException("imagePullPolicy must be Always, IfNotPresent or Never");
    }
  }

  /** Defaults with the given agent image. */
  public static KubernetesRuntimeConfig withAgentImage(String agentImage) {
    return new KubernetesRuntimeConfig(
        Optional.empty(), Optional.empty(), null, null, agentImage, null, null, null);
  }

  /** The RuntimeClass for a TEE type, if the map names one. */
  public Optional<String> runtimeClassFor(String teeType) {
    return Optional.ofNullable(runtimeClasses.get(teeType));
  }
}
