package io.wetee.worker.k8s;

import io.wetee.worker.WorkerException;
import io.wetee.worker.spi.InstanceId;
import io.wetee.worker.spi.LaunchSpec;
import io.wetee.worker.spi.WorkloadMeta;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Names, labels and annotations of the objects the Kubernetes runtime owns.
 *
 * <p>Design notes: one namespace per owner, {@code <prefix><40 lower-case hex of the address>} (at
 * most 56 characters, a valid DNS label, and the same for every worker that derives it). In it, per
 * workload {@code w<id>}: one Deployment {@code w<id>} for a service, one Service {@code
 * w<id>-p<port>} per exposed port; per instance: a ConfigMap {@code <instance>-files} with its
 * (non-secret) files, and for a task run the Pod {@code <instance>}. Everything carries {@code
 * app.kubernetes.io/managed-by=wetee-worker}, which is how a restarted worker finds it again.
 */
final class Names {
  static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  static final String WORKER = "wetee-worker";
  static final String WORKLOAD = "wetee.io/workload";
  static final String VERSION = "wetee.io/version";
  static final String INSTANCE = "wetee.io/instance";
  static final String KIND = "wetee.io/kind";
  static final String SPEC_HASH = "wetee.io/spec-hash";
  static final String LAUNCH_HASH = "wetee.io/launch-hash";
  static final String OWNER = "wetee.io/owner";
  static final String TEE = "wetee.io/tee";
  static final String STOPPED = "wetee.io/stopped";
  static final String MAIN = "main";

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  private Names() {}

  static String namespace(String prefix, String owner) {
    return prefix + owner.substring(2).toLowerCase(Locale.ROOT);
  }

  /** The Deployment of a service workload (one for all its versions). */
  static String deployment(String workloadId) {
    return label("w" + workloadId);
  }

  static String service(String workloadId, int port) {
    return label("w" + workloadId + "-p" + port);
  }

  static String pod(InstanceId id) {
    return label(id.value());
  }

  static String files(InstanceId id) {
    return label(id.value() + "-files");
  }

  /** Checks that a name is a DNS-1123 label (instance ids may hold '.' and '_', which are not). */
  static String label(String name) {
    if (!DNS_LABEL.matcher(name).matches()) {
      throw new WorkerException(
          "'" + name + "' is not a Kubernetes object name (DNS-1123 label, at most 63 characters)");
    }
    return name;
  }

  /** Labels of every object of the instance's workload (the selector of Deployment and Service). */
  static Map<String, String> workloadLabels(String workloadId, WorkloadMeta.Kind kind) {
    Map<String, String> m = new TreeMap<>();
    m.put(MANAGED_BY, WORKER);
    m.put(WORKLOAD, workloadId);
    m.put(KIND, kind.name().toLowerCase(Locale.ROOT));
    return m;
  }

  /** Labels of the instance's own objects (pods, files). */
  static Map<String, String> instanceLabels(LaunchSpec spec, WorkloadMeta meta) {
    Map<String, String> m = workloadLabels(spec.workloadId(), meta.kind());
    m.put(VERSION, Long.toString(spec.version()));
    m.put(INSTANCE, spec.id().value());
    return m;
  }

  static Map<String, String> annotations(LaunchSpec spec, WorkloadMeta meta) {
    Map<String, String> m = new TreeMap<>();
    m.put(INSTANCE, spec.id().value());
    m.put(VERSION, Long.toString(spec.version()));
    m.put(SPEC_HASH, meta.specHash());
    m.put(LAUNCH_HASH, launchHash(spec));
    m.put(OWNER, meta.owner());
    m.put(TEE, meta.teeType());
    return m;
  }

  /**
   * A digest of everything in the launch spec that shapes the objects: starting an existing
   * instance with the same digest is {@code Existing}, with another one {@code SPEC_CONFLICT}.
   */
  static String launchHash(LaunchSpec s) {
    StringBuilder b = new StringBuilder();
    b.append(s.id()).append('\n').append(s.workloadId()).append('\n').append(s.version());
    b.append('\n').append(s.command()).append('\n').append(s.workingDir()).append('\n');
    new TreeMap<>(s.env()).forEach((k, v) -> b.append(k).append('=').append(v).append('\0'));
    for (var f : s.files()) {
      b.append('\n').append(f.path()).append(' ').append(f.executable()).append(' ');
      b.append(sha256(f.content()));
    }
    b.append('\n').append(s.ports()).append('\n').append(s.limits()).append('\n');
    b.append(s.restart()).append('\n');
    s.image().ifPresent(i -> b.append(i.reference()).append('@').append(i.manifestDigest()));
    b.append('\n').append(s.workload());
    return sha256(b.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 32);
  }

  static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
