package io.wetee.worker.k8s;

import static io.wetee.worker.k8s.K8sFixtures.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.wetee.worker.spi.ExitReason;
import io.wetee.worker.spi.InstanceId;
import io.wetee.worker.spi.InstanceState;
import io.wetee.worker.spi.InstanceStatus;
import io.wetee.worker.spi.LaunchSpec;
import io.wetee.worker.spi.StartRefusal;
import io.wetee.worker.spi.StartResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Kubernetes runtime against the fabric8 mock API server in CRUD mode. */
class KubernetesRuntimeTest {
  private MockCluster cluster;
  private KubernetesMockServer server;
  private KubernetesClient client;

  private KubernetesRuntime runtime;
  private final List<InstanceStatus> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void open() {
    cluster = MockCluster.start();
    server = cluster.server;
    client = cluster.client;
    runtime = KubernetesRuntime.open(config(), client);
    runtime.subscribe(events::add);
  }

  @AfterEach
  void close() {
    try {
      runtime.close();
    } finally {
      cluster.close();
    }
  }

  static KubernetesRuntimeConfig config() {
    return KubernetesRuntimeConfig.withAgentImage(K8sFixtures.AGENT_IMAGE);
  }

  @Test
  void createsOneDeploymentPerServiceWithServicesLabelsAndRollingSettings() {
    StartResult r = runtime.start(K8sFixtures.service(7, 1, "TDX"));

    assertThat(r).isInstanceOf(StartResult.Started.class);
    assertThat(client.namespaces().withName(NAMESPACE).get()).isNotNull();
    Deployment d = deployment(7);
    assertThat(d.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "wetee-worker")
        .containsEntry("wetee.io/workload", "7");
    assertThat(d.getMetadata().getAnnotations())
        .containsEntry("wetee.io/version", "1")
        .containsEntry("wetee.io/instance", "w7-v1")
        .containsEntry("wetee.io/spec-hash", K8sFixtures.SPEC_HASH);
    assertThat(d.getSpec().getReplicas()).isEqualTo(1);
    assertThat(d.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
    assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal())
        .isZero();
    assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getIntVal()).isEqualTo(1);
    assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("wetee.io/workload", "7")
        .containsEntry("wetee.io/version", "1")
        .containsEntry("wetee.io/instance", "w7-v1");
    Container main = d.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(main.getImage()).isEqualTo("registry.example/hello@" + K8sFixtures.DIGEST);
    assertThat(main.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health");
    assertThat(main.getReadinessProbe().getHttpGet().getPort().getIntVal()).isEqualTo(8080);
    assertThat(main.getCommand()).startsWith("/wetee/agent/bin/java");
    assertThat(d.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken()).isFalse();
    Container init = d.getSpec().getTemplate().getSpec().getInitContainers().get(0);
    assertThat(init.getImage()).isEqualTo(K8sFixtures.AGENT_IMAGE);
    assertThat(init.getCommand()).containsExactly("cp", "-a", "/opt/wetee-agent/.", "/wetee/agent");
    assertThat(client.services().inNamespace(NAMESPACE).list().getItems())
        .extracting(s -> s.getMetadata().getName())
        .containsExactlyInAnyOrder("w7-p8080", "w7-p9090");
    assertThat(client.services().inNamespace(NAMESPACE).withName("w7-p8080").get().getSpec())
        .satisfies(s -> assertThat(s.getSelector()).containsEntry("wetee.io/workload", "7"));
  }

  @Test
  void setsRequestsEqualToLimitsFromTheLaunchSpec() {
    runtime.start(K8sFixtures.service(7, 1, "TDX"));

    var res = deployment(7).getSpec().getTemplate().getSpec().getContainers().get(0).getResources();
    assertThat(res.getLimits())
        .containsEntry("cpu", new Quantity("1500m"))
        .containsEntry("memory", new Quantity(Long.toString(768L << 20)));
    assertThat(res.getRequests()).isEqualTo(res.getLimits());
  }

  @Test
  void mapsTheTeeTypeToTheConfiguredRuntimeClass() {
    runtime.start(K8sFixtures.service(1, 1, "TDX"));
    runtime.start(K8sFixtures.service(2, 1, "SEV_SNP"));
    runtime.start(K8sFixtures.service(3, 1, "SIMULATED"));

    assertThat(runtimeClass(deployment(1))).isEqualTo("kata-qemu-tdx");
    assertThat(runtimeClass(deployment(2))).isEqualTo("kata-qemu-snp");
    assertThat(runtimeClass(deployment(3))).isNull();

    KubernetesRuntimeConfig custom =
        new KubernetesRuntimeConfig(
            java.util.Optional.empty(),
            java.util.Optional.empty(),
            "tee-",
            Map.of("TDX", "my-tdx"),
            K8sFixtures.AGENT_IMAGE,
            null,
            null,
            null);
    try (KubernetesRuntime other = KubernetesRuntime.open(custom, client)) {
      other.start(K8sFixtures.service(4, 1, "TDX"));
    }
    Deployment d4 =
        client
            .apps()
            .deployments()
            .inNamespace("tee-abcdef0123456789abcdef0123456789abcdef01")
            .withName("w4")
            .get();
    assertThat(runtimeClass(d4)).isEqualTo("my-tdx");
  }

  @Test
  void startingTheSameInstanceAgainIsExistingAndAnotherSpecIsAConflict() {
    runtime.start(K8sFixtures.service(7, 1, "TDX"));
    int before = objectCount();

    assertThat(runtime.start(K8sFixtures.service(7, 1, "TDX")))
        .isInstanceOf(StartResult.Existing.class);
    LaunchSpec changed =
        K8sFixtures.base(
                InstanceId.of("w7-v1"), 7, 1, io.wetee.worker.spi.WorkloadMeta.Kind.SERVICE, "TDX")
            .env("EXTRA", "1")
            .port(8080)
            .port(9090)
            .build();
    assertThat(runtime.start(changed))
        .isInstanceOfSatisfying(
            StartResult.Refused.class,
            r -> assertThat(r.reason()).isEqualTo(StartRefusal.SPEC_CONFLICT));
    assertThat(objectCount()).isEqualTo(before);
  }

  @Test
  void updateRollsTheOneDeploymentAndRetiringTheOldInstanceLeavesTheNewRunning() {
    runtime.start(K8sFixtures.service(7, 1, "TDX"));
    Pod oldPod = replicaPod(7, 1); // what the ReplicaSet controller would have made

    assertThat(runtime.start(K8sFixtures.service(7, 2, "TDX")))
        .isInstanceOf(StartResult.Started.class);

    assertThat(client.apps().deployments().inNamespace(NAMESPACE).list().getItems()).hasSize(1);
    Deployment d = deployment(7);
    assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("wetee.io/version", "2")
        .containsEntry("wetee.io/instance", "w7-v2");
    assertThat(d.getMetadata().getAnnotations()).containsEntry("wetee.io/instance", "w7-v2");
    assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal())
        .isZero();
    assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getIntVal()).isEqualTo(1);
    // The old version serves until the rollout has removed its pod.
    assertThat(runtime.status(InstanceId.of("w7-v1")).orElseThrow().running()).isTrue();
    client.resource(oldPod).delete();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !runtime.status(InstanceId.of("w7-v1")).orElseThrow().running());
    assertThat(runtime.status(InstanceId.of("w7-v1")).orElseThrow().state())
        .isInstanceOfSatisfying(
            InstanceState.Exited.class, e -> assertThat(e.reason()).isEqualTo(ExitReason.STOPPED));

    runtime.stop(InstanceId.of("w7-v1"), Duration.ofSeconds(1));
    assertThat(runtime.remove(InstanceId.of("w7-v1"))).isTrue();

    Deployment after = deployment(7);
    assertThat(after).isNotNull();
    assertThat(after.getSpec().getReplicas()).isEqualTo(1);
    assertThat(after.getMetadata().getAnnotations()).doesNotContainKey("wetee.io/stopped");
    assertThat(runtime.status(InstanceId.of("w7-v2")).orElseThrow().running()).isTrue();
    assertThat(client.configMaps().inNamespace(NAMESPACE).withName("w7-v1-files").get()).isNull();
    assertThat(client.configMaps().inNamespace(NAMESPACE).withName("w7-v2-files").get())
        .isNotNull();
    assertThat(runtime.start(K8sFixtures.service(7, 1, "TDX")))
        .isInstanceOfSatisfying(
            StartResult.Refused.class,
            r -> assertThat(r.reason()).isEqualTo(StartRefusal.SPEC_CONFLICT));
  }

  @Test
  void stopScalesTheServiceToZeroAndRemoveDeletesItsObjects() {
    InstanceId id = InstanceId.of("w7-v1");
    runtime.start(K8sFixtures.service(7, 1, "TDX"));

    InstanceStatus stopped = runtime.stop(id, Duration.ofSeconds(1)).orElseThrow();

    assertThat(stopped.state())
        .isInstanceOfSatisfying(
            InstanceState.Exited.class, e -> assertThat(e.reason()).isEqualTo(ExitReason.STOPPED));
    assertThat(deployment(7).getSpec().getReplicas()).isZero();
    assertThat(runtime.start(K8sFixtures.service(7, 1, "TDX")))
        .isInstanceOf(StartResult.Existing.class);

    assertThat(runtime.remove(id)).isTrue();
    assertThat(deployment(7)).isNull();
    assertThat(client.services().inNamespace(NAMESPACE).list().getItems()).isEmpty();
    assertThat(client.configMaps().inNamespace(NAMESPACE).list().getItems()).isEmpty();
    assertThat(runtime.status(id)).isEmpty();
    assertThat(runtime.remove(id)).isFalse();
    // The worker's own removal is not a loss (a loss would make the worker start it again).
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> events.stream().noneMatch(KubernetesRuntimeTest::lost));
  }

  @Test
  void reportsThePodsIpAsTheInstancesAddressOnceItHasOne() {
    InstanceId svc = InstanceId.of("w7-v1");
    runtime.start(K8sFixtures.service(7, 1, "TDX"));
    // No pod yet (the mock runs no ReplicaSet controller), then a pod without an IP: no address.
    assertThat(runtime.status(svc).orElseThrow().host()).isEmpty();
    assertThat(runtime.status(svc).orElseThrow().addressed()).isFalse();
    replicaPod(7, 1);
    assertThat(runtime.status(svc).orElseThrow().host()).isEmpty();

    setPodIp("w7-rs-v1", "10.244.1.17");

    InstanceStatus s = runtime.status(svc).orElseThrow();
    assertThat(s.host()).isEqualTo("10.244.1.17");
    assertThat(s.running()).isTrue();
    assertThat(s.ports()).containsEntry(8080, 8080);
    // The feed reports the new address (a listener learns where the instance went).
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                events.stream()
                    .anyMatch(e -> e.id().equals(svc) && e.host().equals("10.244.1.17")));

    InstanceId run = InstanceId.of("w9-v1-r1");
    runtime.start(K8sFixtures.task(9, 1));
    assertThat(runtime.status(run).orElseThrow().host()).isEmpty();
    setPodIp("w9-v1-r1", "10.244.2.5");
    assertThat(runtime.status(run).orElseThrow().host()).isEqualTo("10.244.2.5");
  }

  @Test
  void reportsTaskCompletionFromThePodsTerminatedState() {
    InstanceId id = InstanceId.of("w9-v1-r1");
    assertThat(runtime.start(K8sFixtures.task(9, 1))).isInstanceOf(StartResult.Started.class);
    Pod pod = client.pods().inNamespace(NAMESPACE).withName("w9-v1-r1").get();
    assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
    assertThat(pod.getSpec().getRuntimeClassName()).isEqualTo("kata-qemu-tdx");
    assertThat(runtime.status(id).orElseThrow().running()).isTrue();

    terminate("w9-v1-r1", "Succeeded", 0, "Completed");

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> events.stream().anyMatch(s -> s.id().equals(id) && !s.running()));
    InstanceStatus done =
        events.stream().filter(s -> s.id().equals(id) && !s.running()).findFirst().orElseThrow();
    assertThat(done.state())
        .isEqualTo(
            new InstanceState.Exited(
                0, ExitReason.COMPLETED, ((InstanceState.Exited) done.state()).at()));
    assertThat(done.workloadId()).isEqualTo("9");
  }

  @Test
  void reportsTaskFailureWithItsExitCodeAndOomKills() {
    runtime.start(K8sFixtures.task(9, 1));
    runtime.start(K8sFixtures.task(9, 2));

    terminate("w9-v1-r1", "Failed", 3, "Error");
    terminate("w9-v1-r2", "Failed", 137, "OOMKilled");

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(exit("w9-v1-r1")).containsExactly(3, ExitReason.FAILED);
              assertThat(exit("w9-v1-r2")).containsExactly(137, ExitReason.OOM_KILLED);
            });
    // The listeners hear of both exits too (the reconciler is touched by them).
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                events.stream()
                        .filter(e -> !e.running())
                        .map(e -> e.id().value())
                        .distinct()
                        .count()
                    == 2);
  }

  @Test
  void stoppingATaskKeepsItsPodAndReportsStopped() {
    InstanceId id = InstanceId.of("w9-v1-r1");
    runtime.start(K8sFixtures.task(9, 1));

    runtime.stop(id, Duration.ofSeconds(1));

    Pod pod = client.pods().inNamespace(NAMESPACE).withName("w9-v1-r1").get();
    assertThat(pod).isNotNull();
    assertThat(pod.getSpec().getActiveDeadlineSeconds()).isEqualTo(1L);
    assertThat(exit("w9-v1-r1")).containsExactly(-1, ExitReason.STOPPED);
  }

  @Test
  void aTaskPodDeletedBehindTheWorkersBackIsReportedLostAndStartedAgain() {
    InstanceId id = InstanceId.of("w9-v1-r1");
    LaunchSpec spec = K8sFixtures.task(9, 1);
    runtime.start(spec);
    await().until(() -> events.stream().anyMatch(s -> s.id().equals(id) && s.running()));

    client.pods().inNamespace(NAMESPACE).withName("w9-v1-r1").delete();

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> events.stream().anyMatch(s -> s.id().equals(id) && lost(s)));
    assertThat(runtime.status(id)).isEmpty();
    // What the reconciler does for an instance its placement names and the runtime lacks.
    assertThat(runtime.start(spec)).isInstanceOf(StartResult.Started.class);
    assertThat(client.pods().inNamespace(NAMESPACE).withName("w9-v1-r1").get()).isNotNull();
    assertThat(runtime.status(id).orElseThrow().running()).isTrue();
  }

  @Test
  void aDeploymentDeletedBehindTheWorkersBackIsReportedLostAndStartedAgain() {
    InstanceId id = InstanceId.of("w7-v1");
    LaunchSpec spec = K8sFixtures.service(7, 1, "TDX");
    runtime.start(spec);
    await().until(() -> events.stream().anyMatch(s -> s.id().equals(id) && s.running()));

    client.apps().deployments().inNamespace(NAMESPACE).withName("w7").delete();

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> events.stream().anyMatch(s -> s.id().equals(id) && lost(s)));
    assertThat(runtime.status(id)).isEmpty();
    assertThat(runtime.start(spec)).isInstanceOf(StartResult.Started.class);
    assertThat(deployment(7)).isNotNull();
    assertThat(client.services().inNamespace(NAMESPACE).list().getItems()).hasSize(2);
  }

  @Test
  void aRuntimeRestartedAgainstTheClusterAdoptsItsObjectsInsteadOfDuplicating() {
    runtime.start(K8sFixtures.service(7, 1, "TDX"));
    runtime.start(K8sFixtures.task(9, 1));
    runtime.close();
    int before = objectCount();

    try (KubernetesClient second = server.createClient();
        KubernetesRuntime again = KubernetesRuntime.open(config(), second)) {
      assertThat(again.list()).extracting(s -> s.id().value()).containsExactly("w7-v1", "w9-v1-r1");
      assertThat(again.list())
          .allSatisfy(
              s ->
                  assertThat(s.state())
                      .isInstanceOfSatisfying(
                          InstanceState.Running.class, r -> assertThat(r.adopted()).isTrue()));
      assertThat(again.start(K8sFixtures.service(7, 1, "TDX")))
          .isInstanceOf(StartResult.Existing.class);
      assertThat(again.start(K8sFixtures.task(9, 1))).isInstanceOf(StartResult.Existing.class);
      assertThat(objectCount()).isEqualTo(before);
      assertThat(again.remove(InstanceId.of("w9-v1-r1"))).isTrue();
      assertThat(client.pods().inNamespace(NAMESPACE).withName("w9-v1-r1").get()).isNull();
    }
    runtime = KubernetesRuntime.open(config(), client); // for @AfterEach
  }

  @Test
  void opensFromTheWorkersKubeconfigAndAdoptsWhatAnotherClientStarted(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    runtime.start(K8sFixtures.service(7, 1, "TDX"));
    String url = server.url("/").replaceAll("/$", "");
    java.nio.file.Path kubeconfig = dir.resolve("worker.kubeconfig");
    java.nio.file.Files.writeString(
        kubeconfig,
        String.join(
            "\n",
            "apiVersion: v1",
            "kind: Config",
            "clusters:",
            "- name: mock",
            "  cluster: { server: '" + url + "' }",
            "users:",
            "- name: worker",
            "  user: { token: not-checked-by-the-mock }",
            "contexts:",
            "- name: other",
            "  context: { cluster: nowhere, user: worker }",
            "- name: mock",
            "  context: { cluster: mock, user: worker }",
            "current-context: other",
            ""));
    KubernetesRuntimeConfig fromFile =
        new KubernetesRuntimeConfig(
            java.util.Optional.of(kubeconfig),
            java.util.Optional.of("mock"),
            null,
            null,
            K8sFixtures.AGENT_IMAGE,
            null,
            null,
            null);

    try (KubernetesRuntime own = KubernetesRuntime.open(fromFile)) {
      assertThat(own.list()).extracting(st -> st.id().value()).containsExactly("w7-v1");
      assertThat(own.start(K8sFixtures.task(9, 1))).isInstanceOf(StartResult.Started.class);
    }
    assertThat(client.pods().inNamespace(NAMESPACE).withName("w9-v1-r1").get()).isNotNull();
  }

  @Test
  void closeReturnsOnlyAfterTheStatusDeliveryInProgressAndDropsLaterEvents() throws Exception {
    CountDownLatch inListener = new CountDownLatch(1);
    AtomicBoolean listenerReturned = new AtomicBoolean();
    runtime.subscribe(
        s -> {
          if (inListener.getCount() > 0) {
            inListener.countDown();
            try {
              Thread.sleep(300);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            listenerReturned.set(true);
          }
        });
    runtime.start(K8sFixtures.task(9, 1));
    assertThat(inListener.await(10, TimeUnit.SECONDS)).isTrue();

    runtime.close();

    // The caller may close the client now: no listener runs and no status is read any more.
    assertThat(listenerReturned).isTrue();
    int seen = events.size();
    terminate("w9-v1-r1", "Succeeded", 0, "Completed");
    assertThat(runtime.start(K8sFixtures.task(9, 2))).isInstanceOf(StartResult.Started.class);
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> events.size() == seen);
  }

  @Test
  void refusesALaunchSpecWithoutAnImage() {
    LaunchSpec noImage =
        LaunchSpec.builder(InstanceId.of("w1-v1"), "1", 1)
            .command("/bin/true")
            .workload(K8sFixtures.service(1, 1, "TDX").workload().orElseThrow())
            .build();

    assertThat(runtime.start(noImage))
        .isInstanceOfSatisfying(
            StartResult.Refused.class,
            r -> assertThat(r.reason()).isEqualTo(StartRefusal.IMAGE_UNAVAILABLE));
    assertThat(objectCount()).isZero();
  }

  @Test
  void noSecretGoesIntoAKubernetesSecretConfigMapEnvOrAnnotation() {
    // The owner's secret values: they exist on chain only as ciphertexts for the committee.
    List<String> plaintexts = List.of("hunter2-api-key-value", "{\"db\":\"s3cr3t-conf\"}");
    runtime.start(K8sFixtures.service(7, 1, "TDX"));
    runtime.start(K8sFixtures.task(9, 1));

    assertThat(client.secrets().inAnyNamespace().list().getItems()).isEmpty();
    String everything = allObjectsAsJson();
    for (String plaintext : plaintexts) {
      assertThat(everything).doesNotContain(plaintext);
    }
    assertThat(everything).doesNotContain("secretKeyRef").doesNotContain("\"secret\":{");
    // The agent config (no secrets: the spec names them) is what the ConfigMaps carry.
    assertThat(client.configMaps().inNamespace(NAMESPACE).withName("w7-v1-files").get().getData())
        .hasEntrySatisfying(
            "f0", text -> assertThat(text).contains("api-key").contains("app-conf"));
    assertThat(deployment(7).getSpec().getTemplate().getSpec().getContainers().get(0).getEnvFrom())
        .isEmpty();

    // The same scan finds a value that a faulty planner would leak through the launch spec.
    runtime.start(
        K8sFixtures.base(
                InstanceId.of("w8-v1"), 8, 1, io.wetee.worker.spi.WorkloadMeta.Kind.SERVICE, "TDX")
            .env("API_KEY", plaintexts.get(0))
            .build());
    assertThat(allObjectsAsJson()).contains(plaintexts.get(0));
  }

  // ------------------------------------------------------------------ helpers

  private Deployment deployment(long workload) {
    return client.apps().deployments().inNamespace(NAMESPACE).withName("w" + workload).get();
  }

  private static String runtimeClass(Deployment d) {
    return d.getSpec().getTemplate().getSpec().getRuntimeClassName();
  }

  /** A pod as the Deployment's ReplicaSet would make it (the mock runs no controllers). */
  private Pod replicaPod(long workload, long version) {
    Deployment d = deployment(workload);
    Pod p =
        new PodBuilder()
            .withNewMetadata()
            .withName("w" + workload + "-rs-v" + version)
            .withNamespace(NAMESPACE)
            .withLabels(d.getSpec().getTemplate().getMetadata().getLabels())
            .endMetadata()
            .withSpec(d.getSpec().getTemplate().getSpec())
            .withNewStatus()
            .withPhase("Running")
            .endStatus()
            .build();
    return client.resource(p).create();
  }

  private void setPodIp(String pod, String ip) {
    editPodStatus(pod, st -> st.setPodIP(ip));
  }

  private void terminate(String pod, String phase, int exitCode, String reason) {
    editPodStatus(
        pod,
        st -> {
          st.setPhase(phase);
          st.setContainerStatuses(
              List.of(
                  new ContainerStatusBuilder()
                      .withName("main")
                      .withRestartCount(0)
                      .withNewState()
                      .withNewTerminated()
                      .withExitCode(exitCode)
                      .withReason(reason)
                      .endTerminated()
                      .endState()
                      .build()));
        });
  }

  /** Changes a pod's status as the kubelet would (the mock server has none). */
  private void editPodStatus(String pod, Consumer<PodStatus> change) {
    client
        .pods()
        .inNamespace(NAMESPACE)
        .withName(pod)
        .editStatus(
            p -> {
              if (p.getStatus() == null) {
                p.setStatus(new PodStatus());
              }
              change.accept(p.getStatus());
              return p;
            });
  }

  private List<Object> exit(String id) {
    InstanceState s = runtime.status(InstanceId.of(id)).orElseThrow().state();
    return s instanceof InstanceState.Exited e ? List.of(e.exitCode(), e.reason()) : List.of();
  }

  private static boolean lost(InstanceStatus s) {
    return s.state() instanceof InstanceState.Exited e && e.reason() == ExitReason.LOST;
  }

  private int objectCount() {
    List<HasMetadata> all = new java.util.ArrayList<>();
    all.addAll(client.apps().deployments().inAnyNamespace().list().getItems());
    all.addAll(client.pods().inAnyNamespace().list().getItems());
    all.addAll(client.services().inAnyNamespace().list().getItems());
    all.addAll(client.configMaps().inAnyNamespace().list().getItems());
    all.addAll(client.secrets().inAnyNamespace().list().getItems());
    return all.size();
  }

  /** Every object the mock holds, of every kind the runtime creates or could misuse, as JSON. */
  private String allObjectsAsJson() {
    List<HasMetadata> all = new java.util.ArrayList<>();
    all.addAll(client.namespaces().list().getItems());
    all.addAll(client.apps().deployments().inAnyNamespace().list().getItems());
    all.addAll(client.pods().inAnyNamespace().list().getItems());
    all.addAll(client.services().inAnyNamespace().list().getItems());
    all.addAll(client.configMaps().inAnyNamespace().list().getItems());
    all.addAll(client.secrets().inAnyNamespace().list().getItems());
    StringBuilder b = new StringBuilder();
    for (HasMetadata o : all) {
      b.append(io.fabric8.kubernetes.client.utils.Serialization.asJson(o)).append('\n');
    }
    return b.toString();
  }
}
