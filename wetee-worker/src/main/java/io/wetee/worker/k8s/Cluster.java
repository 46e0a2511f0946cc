package io.wetee.worker.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import io.wetee.worker.spi.Subscription;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The cluster operations of the Kubernetes runtime, one small method per API call pattern. Every
 * verb used here is one the RBAC manifest in {@code deploy/kubernetes/} grants, and no other.
 */
final class Cluster {
  private final KubernetesClient client;

  Cluster(KubernetesClient client) {
    this.client = client;
  }

  List<Deployment> deployments() {
    return client
        .apps()
        .deployments()
        .inAnyNamespace()
        .withLabel(Names.MANAGED_BY, Names.WORKER)
        .list()
        .getItems();
  }

  List<Pod> pods() {
    return client
        .pods()
        .inAnyNamespace()
        .withLabel(Names.MANAGED_BY, Names.WORKER)
        .list()
        .getItems();
  }

  Optional<Pod> pod(String ns, String name) {
    return Optional.ofNullable(client.pods().inNamespace(ns).withName(name).get());
  }

  Optional<Deployment> deployment(String ns, String name) {
    return Optional.ofNullable(client.apps().deployments().inNamespace(ns).withName(name).get());
  }

  /** The pods of one instance (a service's pods carry the instance label of their template). */
  List<Pod> podsOf(String ns, String instance) {
    return client
        .pods()
        .inNamespace(ns)
        .withLabel(Names.MANAGED_BY, Names.WORKER)
        .withLabel(Names.INSTANCE, instance)
        .list()
        .getItems();
  }

  void ensureNamespace(Namespace ns) {
    if (client.namespaces().withName(ns.getMetadata().getName()).get() == null) {
      createTolerating(ns);
    }
  }

  /** Creates the files ConfigMap unless it exists with the same data (it is immutable). */
  void ensureFiles(ConfigMap cm, boolean none) {
    if (none) {
      return;
    }
    String ns = cm.getMetadata().getNamespace();
    ConfigMap old = client.configMaps().inNamespace(ns).withName(cm.getMetadata().getName()).get();
    if (old != null) {
      if (Objects.equals(nonNull(old.getData()), nonNull(cm.getData()))
          && Objects.equals(nonNull(old.getBinaryData()), nonNull(cm.getBinaryData()))) {
        return;
      }
      client.configMaps().inNamespace(ns).withName(cm.getMetadata().getName()).delete();
    }
    create(cm);
  }

  void ensureService(Service s) {
    String ns = s.getMetadata().getNamespace();
    if (client.services().inNamespace(ns).withName(s.getMetadata().getName()).get() == null) {
      createTolerating(s);
    }
  }

  void create(HasMetadata o) {
    client.resource(o).create();
  }

  private void createTolerating(HasMetadata o) {
    try {
      client.resource(o).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e; // 409: created meanwhile (another worker thread or a second worker)
      }
    }
  }

  /** Points the Deployment at a new instance: its template and annotations; one replica again. */
  void rollTo(String ns, String name, Deployment wanted) {
    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withName(name)
        .edit(
            d -> {
              d.getMetadata().setAnnotations(wanted.getMetadata().getAnnotations());
              d.getSpec().setReplicas(1);
              d.getSpec().setStrategy(wanted.getSpec().getStrategy());
              d.getSpec().setTemplate(wanted.getSpec().getTemplate());
              return d;
            });
  }

  /** Scales the Deployment to zero if it still runs {@code instance}; never touches a newer one. */
  void stopDeployment(String ns, String name, String instance) {
    Deployment d = client.apps().deployments().inNamespace(ns).withName(name).get();
    if (d == null
        || !InstanceView.annotation(d, Names.INSTANCE).equals(Optional.of(instance))
        || InstanceView.annotation(d, Names.STOPPED).isPresent()) {
      return;
    }
    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withName(name)
        .edit(
            x -> {
              x.getMetadata().getAnnotations().put(Names.STOPPED, Instant.now().toString());
              x.getSpec().setReplicas(0);
              return x;
            });
  }

  /**
   * Ends a task pod without deleting it (its log and exit status stay readable): the stop mark,
   * then {@code activeDeadlineSeconds}, which makes the kubelet kill the pod's containers.
   */
  void stopPod(String ns, String name) {
    Pod p = client.pods().inNamespace(ns).withName(name).get();
    if (p == null || InstanceView.annotation(p, Names.STOPPED).isPresent()) {
      return;
    }
    client
        .pods()
        .inNamespace(ns)
        .withName(name)
        .edit(
            x -> {
              x.getMetadata().getAnnotations().put(Names.STOPPED, Instant.now().toString());
              x.getSpec().setActiveDeadlineSeconds(1L);
              return x;
            });
  }

  void deletePod(String ns, String name) {
    client.pods().inNamespace(ns).withName(name).withGracePeriod(0).delete();
  }

  void deleteFiles(String ns, String name) {
    client.configMaps().inNamespace(ns).withName(name).delete();
  }

  /**
   * Removes a service instance: the Deployment and the workload's Services when the Deployment runs
   * it (or nothing else), else nothing but the instance's own files (done by the caller).
   */
  void removeServiceInstance(String ns, String workloadId, String instance) {
    String name = Names.deployment(workloadId);
    Deployment d = client.apps().deployments().inNamespace(ns).withName(name).get();
    if (d != null && !InstanceView.annotation(d, Names.INSTANCE).equals(Optional.of(instance))) {
      return; // a newer instance runs in this Deployment: leave it alone
    }
    if (d != null) {
      client.apps().deployments().inNamespace(ns).withName(name).delete();
    }
    // One delete per Service (not a deletecollection): the RBAC role grants list and delete only.
    for (Service svc :
        client
            .services()
            .inNamespace(ns)
            .withLabel(Names.MANAGED_BY, Names.WORKER)
            .withLabel(Names.WORKLOAD, workloadId)
            .list()
            .getItems()) {
      client.resource(svc).delete();
    }
  }

  String log(String ns, String pod, int maxBytes) {
    String all = client.pods().inNamespace(ns).withName(pod).inContainer(Names.MAIN).getLog();
    byte[] b = all == null ? new byte[0] : all.getBytes(StandardCharsets.UTF_8);
    int from = Math.max(0, b.length - maxBytes);
    return new String(b, from, b.length - from, StandardCharsets.UTF_8);
  }

  Subscription followLog(String ns, String pod, Consumer<String> lines) {
    LogWatch w =
        client
            .pods()
            .inNamespace(ns)
            .withName(pod)
            .inContainer(Names.MAIN)
            .sinceSeconds(1)
            .watchLog(new LineSplitter(lines));
    return w::close;
  }

  private static <K, V> java.util.Map<K, V> nonNull(java.util.Map<K, V> m) {
    return m == null ? new HashMap<>() : m;
  }

  /** Cuts a byte stream into lines for a log follower. */
  private static final class LineSplitter extends OutputStream {
    private final Consumer<String> lines;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    LineSplitter(Consumer<String> lines) {
      this.lines = lines;
    }

    @Override
    public synchronized void write(int b) {
      if (b == '\n') {
        lines.accept(line.toString(StandardCharsets.UTF_8));
        line.reset();
      } else {
        line.write(b);
      }
    }
  }
}
