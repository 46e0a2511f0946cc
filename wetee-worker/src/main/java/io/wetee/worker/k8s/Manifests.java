package io.wetee.worker.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.wetee.worker.spi.FileToWrite;
import io.wetee.worker.spi.ImageRoot;
import io.wetee.worker.spi.LaunchSpec;
import io.wetee.worker.spi.Limits;
import io.wetee.worker.spi.WorkloadMeta;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the Kubernetes objects of one instance from its launch spec.
 *
 * <p>Design notes: the pod runs the launch spec's command (the agent, which starts the program) in
 * the workload's image, from a read-only root file system with {@code /work} and {@code /tmp} as
 * emptyDirs, as the local sandbox does. The agent is not in the workload's image: an init container
 * copies it from the agent image into an emptyDir the main container sees read-only at {@link
 * KubernetesRuntimeConfig#AGENT_MOUNT}. Files of the launch spec (configuration only; the SPI never
 * carries a secret in clear, secrets reach the program through the agent) go into a ConfigMap,
 * mounted file by file under {@code /work}. Requests equal limits (Guaranteed QoS, as a CVM's
 * memory is fixed at launch). No service account token is mounted: a workload has no business with
 * the cluster's API.
 */
final class Manifests {
  private final KubernetesRuntimeConfig config;

  Manifests(KubernetesRuntimeConfig config) {
    this.config = config;
  }

  ConfigMap files(LaunchSpec s, WorkloadMeta m, String ns) {
    Map<String, String> data = new LinkedHashMap<>();
    Map<String, String> binary = new LinkedHashMap<>();
    List<FileToWrite> files = s.files();
    for (int i = 0; i < files.size(); i++) {
      byte[] content = files.get(i).content();
      Optional<String> text = utf8(content);
      if (text.isPresent()) {
        data.put("f" + i, text.get());
      } else {
        binary.put("f" + i, Base64.getEncoder().encodeToString(content));
      }
    }
    return new ConfigMapBuilder()
        .withMetadata(meta(Names.files(s.id()), ns, Names.instanceLabels(s, m), s, m))
        .withData(data)
        .withBinaryData(binary)
        .withImmutable(true)
        .build();
  }

  Service service(LaunchSpec s, WorkloadMeta m, String ns, int port) {
    Map<String, String> labels = Names.workloadLabels(s.workloadId(), m.kind());
    return new ServiceBuilder()
        .withMetadata(
            new ObjectMetaBuilder()
                .withName(Names.service(s.workloadId(), port))
                .withNamespace(ns)
                .withLabels(labels)
                .build())
        .withNewSpec()
        .withType(config.serviceType())
        .withSelector(labels)
        .addNewPort()
        .withName("p" + port)
        .withPort(port)
        .withTargetPort(new IntOrString(port))
        .withProtocol("TCP")
        .endPort()
        .endSpec()
        .build();
  }

  /** One replica, rolled with no unavailable instance and one extra (the new version). */
  Deployment deployment(LaunchSpec s, WorkloadMeta m, String ns) {
    Map<String, String> selector = Names.workloadLabels(s.workloadId(), m.kind());
    return new DeploymentBuilder()
        .withMetadata(meta(Names.deployment(s.workloadId()), ns, selector, s, m))
        .withNewSpec()
        .withReplicas(1)
        .withRevisionHistoryLimit(2)
        .withNewSelector()
        .withMatchLabels(selector)
        .endSelector()
        .withNewStrategy()
        .withType("RollingUpdate")
        .withNewRollingUpdate()
        .withMaxUnavailable(new IntOrString(0))
        .withMaxSurge(new IntOrString(1))
        .endRollingUpdate()
        .endStrategy()
        .withNewTemplate()
        .withMetadata(podMeta(s, m))
        .withSpec(podSpec(s, m, "Always"))
        .endTemplate()
        .endSpec()
        .build();
  }

  Pod taskPod(LaunchSpec s, WorkloadMeta m, String ns) {
    ObjectMeta meta = meta(Names.pod(s.id()), ns, Names.instanceLabels(s, m), s, m);
    return new PodBuilder().withMetadata(meta).withSpec(podSpec(s, m, "Never")).build();
  }

  ObjectMeta podMeta(LaunchSpec s, WorkloadMeta m) {
    return new ObjectMetaBuilder()
        .withLabels(Names.instanceLabels(s, m))
        .withAnnotations(Names.annotations(s, m))
        .build();
  }

  private static ObjectMeta meta(
      String name, String ns, Map<String, String> labels, LaunchSpec s, WorkloadMeta m) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(ns)
        .withLabels(labels)
        .withAnnotations(Names.annotations(s, m))
        .build();
  }

  private PodSpec podSpec(LaunchSpec s, WorkloadMeta m, String restartPolicy) {
    List<Volume> volumes = new ArrayList<>();
    volumes.add(
        new VolumeBuilder().withName("wetee-agent").withNewEmptyDir().endEmptyDir().build());
    volumes.add(new VolumeBuilder().withName("work").withNewEmptyDir().endEmptyDir().build());
    volumes.add(
        new VolumeBuilder()
            .withName("tmp")
            .withNewEmptyDir()
            .withMedium("Memory")
            .withSizeLimit(new Quantity(Long.toString(s.limits().tmpBytes())))
            .endEmptyDir()
            .build());
    List<VolumeMount> mounts = new ArrayList<>();
    mounts.add(mount("wetee-agent", KubernetesRuntimeConfig.AGENT_MOUNT, true));
    mounts.add(mount("work", "/work", false));
    mounts.add(mount("tmp", "/tmp", false));
    if (!s.files().isEmpty()) {
      List<KeyToPath> items = new ArrayList<>();
      for (int i = 0; i < s.files().size(); i++) {
        FileToWrite f = s.files().get(i);
        items.add(new KeyToPath("f" + i, f.executable() ? 0755 : 0644, "f" + i));
        mounts.add(
            new VolumeMountBuilder()
                .withName("files")
                .withMountPath("/work/" + f.path())
                .withSubPath("f" + i)
                .withReadOnly(true)
                .build());
      }
      volumes.add(
          new VolumeBuilder()
              .withName("files")
              .withNewConfigMap()
              .withName(Names.files(s.id()))
              .withItems(items)
              .endConfigMap()
              .build());
    }
    PodSpecBuilder b =
        new PodSpecBuilder()
            .withRestartPolicy(restartPolicy)
            .withAutomountServiceAccountToken(false)
            .withEnableServiceLinks(false)
            .withTerminationGracePeriodSeconds(30L)
            .withInitContainers(agentInstaller())
            .withContainers(main(s, m, mounts))
            .withVolumes(volumes);
    config.runtimeClassFor(m.teeType()).ifPresent(b::withRuntimeClassName);
    return b.build();
  }

  private Container agentInstaller() {
    Quantity cpu = new Quantity("100m");
    Quantity mem = new Quantity("64Mi");
    return new ContainerBuilder()
        .withName("wetee-agent-install")
        .withImage(config.agentImage())
        .withImagePullPolicy(config.imagePullPolicy())
        .withCommand("cp", "-a", config.agentSource() + "/.", KubernetesRuntimeConfig.AGENT_MOUNT)
        .withVolumeMounts(mount("wetee-agent", KubernetesRuntimeConfig.AGENT_MOUNT, false))
        .withResources(
            new ResourceRequirementsBuilder()
                .withRequests(Map.of("cpu", cpu, "memory", mem))
                .withLimits(Map.of("cpu", cpu, "memory", mem))
                .build())
        .withSecurityContext(restricted())
        .build();
  }

  private Container main(LaunchSpec s, WorkloadMeta m, List<VolumeMount> mounts) {
    ContainerBuilder c =
        new ContainerBuilder()
            .withName(Names.MAIN)
            .withImage(pinned(s.image().orElseThrow()))
            .withImagePullPolicy(config.imagePullPolicy())
            .withCommand(s.command())
            .withWorkingDir(s.workingDir())
            .withEnv(env(s))
            .withVolumeMounts(mounts)
            .withResources(resources(s.limits()))
            .withSecurityContext(restricted());
    for (int port : s.ports()) {
      c.addNewPort().withName("p" + port).withContainerPort(port).withProtocol("TCP").endPort();
    }
    if (m.kind() == WorkloadMeta.Kind.SERVICE && !s.ports().isEmpty()) {
      c.withNewReadinessProbe()
          .withNewHttpGet()
          .withPath(m.healthPath().orElse("/"))
          .withPort(new IntOrString(s.ports().get(0)))
          .endHttpGet()
          .withPeriodSeconds(2)
          .withFailureThreshold(3)
          .endReadinessProbe();
    }
    return c.build();
  }

  /**
   * The program's environment: the spec's, then the instance's identity and its ports. In a pod the
   * program listens on its own port numbers (the pod has its own network namespace), so {@code
   * PORT} and {@code WETEE_PORT_<port>} name the spec's ports.
   */
  static List<EnvVar> env(LaunchSpec s) {
    Map<String, String> env = new LinkedHashMap<>(new java.util.TreeMap<>(s.env()));
    env.put("WETEE_INSTANCE_ID", s.id().value());
    env.put("WETEE_WORKLOAD_ID", s.workloadId());
    env.put("WETEE_VERSION", Long.toString(s.version()));
    if (!s.ports().isEmpty()) {
      env.put("PORT", Integer.toString(s.ports().get(0)));
    }
    for (int port : s.ports()) {
      env.put("WETEE_PORT_" + port, Integer.toString(port));
    }
    List<EnvVar> out = new ArrayList<>();
    env.forEach((k, v) -> out.add(new EnvVar(k, v, null)));
    return out;
  }

  /** Requests equal to limits; a zero limit (unlimited) is left out of both. */
  static ResourceRequirements resources(Limits l) {
    Map<String, Quantity> q = new LinkedHashMap<>();
    if (l.cpuMillis() > 0) {
      q.put("cpu", new Quantity(l.cpuMillis() + "m"));
    }
    if (l.memoryBytes() > 0) {
      q.put("memory", new Quantity(Long.toString(l.memoryBytes())));
    }
    return new ResourceRequirementsBuilder().withRequests(q).withLimits(q).build();
  }

  /** The image reference the kubelet pulls: always by the verified manifest digest. */
  static String pinned(ImageRoot image) {
    String ref = image.reference();
    int at = ref.indexOf('@');
    String repo = at >= 0 ? ref.substring(0, at) : ref;
    int slash = repo.lastIndexOf('/');
    int colon = repo.lastIndexOf(':');
    if (colon > slash) {
      repo = repo.substring(0, colon); // drop the tag: the digest decides
    }
    return repo + "@" + image.manifestDigest();
  }

  private static SecurityContext restricted() {
    return new SecurityContextBuilder()
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .build();
  }

  private static VolumeMount mount(String name, String path, boolean readOnly) {
    return new VolumeMountBuilder()
        .withName(name)
        .withMountPath(path)
        .withReadOnly(readOnly)
        .build();
  }

  private static Optional<String> utf8(byte[] b) {
    try {
      return Optional.of(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(b))
              .toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }
}
