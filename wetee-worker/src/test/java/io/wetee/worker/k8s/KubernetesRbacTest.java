package io.wetee.worker.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.wetee.worker.spi.InstanceId;
import io.wetee.worker.spi.LogStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The RBAC manifest grants exactly what the runtime uses: every request the runtime makes through a
 * whole life (start, update, stop, remove of services and tasks, logs, a restart that adopts) is
 * mapped to its RBAC (resource, verb), and the set equals the ClusterRole's rules.
 */
class KubernetesRbacTest {
  static final Path MANIFEST = Path.of("../deploy/kubernetes/worker-rbac.yaml");

  private MockCluster cluster;
  private KubernetesMockServer server;
  private KubernetesClient client;

  @BeforeEach
  void open() {
    cluster = MockCluster.start();
    server = cluster.server;
    client = cluster.client;
  }

  @AfterEach
  void close() {
    cluster.close();
  }

  @Test
  void theClusterRoleGrantsExactlyTheVerbsTheRuntimeUses() throws Exception {
    try (KubernetesRuntime r = KubernetesRuntime.open(KubernetesRuntimeTest.config(), client)) {
      r.start(K8sFixtures.service(7, 1, "TDX"));
      r.start(K8sFixtures.service(7, 2, "TDX"));
      r.stop(InstanceId.of("w7-v1"), Duration.ofSeconds(1));
      r.remove(InstanceId.of("w7-v1"));
      r.start(K8sFixtures.task(9, 1));
      try {
        r.readLog(InstanceId.of("w9-v1-r1"), LogStream.STDOUT, 1000);
      } catch (KubernetesClientException e) {
        // The mock serves no logs; the request was made, which is what counts here.
      }
      r.stop(InstanceId.of("w9-v1-r1"), Duration.ofSeconds(1));
      r.remove(InstanceId.of("w9-v1-r1"));
      r.stop(InstanceId.of("w7-v2"), Duration.ofSeconds(1));
    }
    try (KubernetesRuntime again = KubernetesRuntime.open(KubernetesRuntimeTest.config(), client)) {
      again.remove(InstanceId.of("w7-v2"));
    }

    Set<String> used = new TreeSet<>();
    RecordedRequest req;
    while ((req = server.takeRequest(200, TimeUnit.MILLISECONDS)) != null) {
      used.add(rbac(req.getMethod(), req.getPath()));
    }
    assertThat(used).isEqualTo(granted());
  }

  /** {@code resource:verb} of one API request, as RBAC sees it. */
  static String rbac(String method, String pathAndQuery) {
    int q = pathAndQuery.indexOf('?');
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
    List<String> seg = List.of(path.substring(1).split("/"));
    List<String> rest =
        seg.get(0).equals("api") ? seg.subList(2, seg.size()) : seg.subList(3, seg.size());
    String group = seg.get(0).equals("api") ? "" : seg.get(1);
    if (rest.size() >= 3 && rest.get(0).equals("namespaces")) {
      rest = rest.subList(2, rest.size());
    }
    String resource = rest.get(0) + (rest.size() > 2 ? "/" + rest.get(2) : "");
    boolean named = rest.size() > 1;
    String verb =
        switch (method) {
          case "GET" -> named ? "get" : query.contains("watch=true") ? "watch" : "list";
          case "POST" -> "create";
          case "PATCH" -> "patch";
          case "PUT" -> "update";
          case "DELETE" -> named ? "delete" : "deletecollection";
          default -> method;
        };
    return (group.isEmpty() ? "" : group + "/") + resource + ":" + verb;
  }

  private Set<String> granted() throws Exception {
    Set<String> out = new TreeSet<>();
    try (InputStream in = Files.newInputStream(MANIFEST)) {
      for (HasMetadata o : client.load(in).items()) {
        if (o instanceof ClusterRole role) {
          for (PolicyRule rule : role.getRules()) {
            for (String g : rule.getApiGroups()) {
              for (String res : rule.getResources()) {
                for (String v : rule.getVerbs()) {
                  out.add((g.isEmpty() ? "" : g + "/") + res + ":" + v);
                }
              }
            }
          }
        }
      }
    }
    assertThat(out).as("rules of the ClusterRole in " + MANIFEST).isNotEmpty();
    return out;
  }
}
