package io.wetee.cli.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wetee.chain.Resources;
import io.wetee.common.Json;
import io.wetee.common.spec.WorkloadSpec;
import io.wetee.oci.ImageRef;
import io.wetee.oci.OciException;
import io.wetee.worker.BundleRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a spec file before any transaction and collects every problem (not only the first):
 * unknown fields anywhere, required fields, the image (a bundle reference or a program directory),
 * resource quantities, ports, the task schedule. The chain checks (level maxima, secrets) are done
 * by {@link Deployer} with the same problem list.
 */
final class SpecCheck {
  private static final Map<String, Set<String>> FIELDS =
      Map.of(
          "", Set.of("name", "kind", "tee", "containers", "task"),
          "tee", Set.of("types", "minTcb", "allowDebug"),
          "container",
              Set.of(
                  "name",
                  "image",
                  "command",
                  "env",
                  "secretEnv",
                  "files",
                  "ports",
                  "resources",
                  "health"),
          "file", Set.of("path", "secret"),
          "port", Set.of("port", "protocol", "public"),
          "resources", Set.of("cpu", "memory", "disk"),
          "health", Set.of("http", "intervalSeconds"),
          "task", Set.of("schedule", "timeoutSeconds"),
          "schedule", Set.of("everyBlocks"));

  /** The checked spec tree, its directory, and what was found wrong. */
  record Result(ObjectNode tree, Path baseDir, List<String> problems, Resources resources) {}

  private SpecCheck() {}

  static Result check(Path file) {
    List<String> problems = new ArrayList<>();
    JsonNode root;
    try {
      root = Json.yaml().readTree(Files.readString(file));
    } catch (Exception e) {
      problems.add("not a YAML document: " + e.getMessage());
      return new Result(
          Json.strict().createObjectNode(), file.toAbsolutePath().getParent(), problems, null);
    }
    if (!(root instanceof ObjectNode tree)) {
      problems.add("the spec must be a mapping");
      return new Result(
          Json.strict().createObjectNode(), file.toAbsolutePath().getParent(), problems, null);
    }
    Path base = file.toAbsolutePath().getParent();
    unknown(tree, "", "", problems);
    text(tree, "name", "name", problems);
    String kind = tree.path("kind").asText("");
    if (!kind.equals("service") && !kind.equals("task")) {
      problems.add("kind: must be service or task");
    }
    JsonNode tee = tree.path("tee");
    if (tee.isObject()) {
      unknown(tee, "tee", "tee.", problems);
      for (JsonNode t : tee.path("types")) {
        if (!WorkloadSpec.TEE_TYPES.contains(t.asText())) {
          problems.add("tee.types: unknown TEE type " + t.asText());
        }
      }
      if (tee.has("minTcb") && !WorkloadSpec.TCB_STATUSES.contains(tee.path("minTcb").asText())) {
        problems.add("tee.minTcb: unknown TCB status " + tee.path("minTcb").asText());
      }
    }
    Resources res = containers(tree, base, problems);
    task(tree, kind, problems);
    return new Result(tree, base, problems, res);
  }

  private static Resources containers(ObjectNode tree, Path base, List<String> problems) {
    JsonNode cs = tree.path("containers");
    if (!cs.isArray() || cs.isEmpty()) {
      problems.add("containers: at least one container is required");
      return null;
    }
    if (cs.size() > 1) {
      problems.add("containers: the local runtime runs one container per workload");
    }
    Resources res = null;
    for (int i = 0; i < cs.size(); i++) {
      JsonNode c = cs.get(i);
      String at = "containers[" + i + "].";
      unknown(c, "container", at, problems);
      text(c, "name", at + "name", problems);
      String image = c.path("image").asText("");
      if (image.isBlank()) {
        problems.add(
            at + "image: missing (a program directory, a bundle URI#sha256=... or an OCI image)");
      } else if (BundleRef.isBundle(image)) {
        try {
          BundleRef.parse(image);
        } catch (IllegalArgumentException e) {
          problems.add(at + "image: " + e.getMessage());
        }
      } else if (!Files.isDirectory(base.resolve(image))) {
        imageProblem(image, base).ifPresent(problem -> problems.add(at + "image: " + problem));
      }
      boolean ociImage =
          !image.isBlank() && !BundleRef.isBundle(image) && !Files.isDirectory(base.resolve(image));
      if (c.has("command") || !ociImage) {
        if (!c.path("command").isArray() || c.path("command").isEmpty()) {
          problems.add(
              at
                  + (ociImage
                      ? "command: must be a non-empty list (or omit it to run the image's"
                          + " entrypoint and cmd)"
                      : "command: the program to run is required"));
        }
      }
      for (JsonNode f : c.path("files")) {
        unknown(f, "file", at + "files[].", problems);
        if (!f.path("path").asText("").startsWith("/")) {
          problems.add(at + "files[].path: must be absolute");
        }
      }
      for (JsonNode p : c.path("ports")) {
        unknown(p, "port", at + "ports[].", problems);
        int port = p.path("port").asInt(-1);
        if (port < 1 || port > 65535) {
          problems.add(at + "ports[].port: must be 1 to 65535");
        }
      }
      if (c.has("health")) {
        unknown(c.path("health"), "health", at + "health.", problems);
      }
      Resources r = resources(c.path("resources"), at, problems);
      res = res == null ? r : res;
    }
    return res;
  }

  private static Resources resources(JsonNode r, String at, List<String> problems) {
    if (r.isObject()) {
      unknown(r, "resources", at + "resources.", problems);
    }
    try {
      long cpu = Quantities.cpu(r.path("cpu").asText("250m"));
      long mem = Quantities.bytesIn(r.path("memory").asText("256Mi"), 1L << 20);
      long disk = Quantities.bytesIn(r.path("disk").asText("1Gi"), 1L << 30);
      return new Resources(cpu, mem, disk, 0);
    } catch (RuntimeException e) {
      problems.add(
          at + "resources: invalid quantity (" + e.getMessage() + "); use e.g. 500m, 256Mi, 1Gi");
      return null;
    }
  }

  private static void task(ObjectNode tree, String kind, List<String> problems) {
    JsonNode t = tree.path("task");
    if (t.isMissingNode()) {
      return;
    }
    if (!kind.equals("task")) {
      problems.add("task: only for kind: task");
    }
    unknown(t, "task", "task.", problems);
    JsonNode s = t.path("schedule");
    if (!s.isMissingNode()) {
      unknown(s, "schedule", "task.schedule.", problems);
      JsonNode every = s.path("everyBlocks");
      if (!every.isMissingNode()
          && (!every.canConvertToLong()
              || every.asLong() < 0
              || every.asLong() > 0xFFFFFFFFL
              || !every.isIntegralNumber())) {
        problems.add(
            "task.schedule.everyBlocks: invalid schedule (a whole number of blocks, 0 = once)");
      }
    }
    JsonNode timeout = t.path("timeoutSeconds");
    if (!timeout.isMissingNode() && (!timeout.isIntegralNumber() || timeout.asLong() <= 0)) {
      problems.add("task.timeoutSeconds: must be a positive number of seconds");
    }
  }

  private static void unknown(JsonNode node, String kind, String at, List<String> problems) {
    Set<String> allowed = FIELDS.get(kind);
    Set<String> bad = new TreeSet<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        bad.add(f);
      }
    }
    bad.forEach(f -> problems.add(at + f + ": unknown field"));
  }

  private static void text(JsonNode node, String field, String at, List<String> problems) {
    if (node.path(field).asText("").isBlank()) {
      problems.add(at + ": required");
    }
  }

  /**
   * Whether {@code image} (not a bundle, not an existing directory) is an OCI image reference. A
   * name is read as a reference only when it names its registry ({@code host.name/...}, {@code
   * host:port/...}, {@code localhost/...}) or a digest, so that a mistyped directory is reported as
   * such rather than looked up on Docker Hub.
   */
  static Optional<String> imageProblem(String image, Path base) {
    boolean looksLikeRef = image.contains("@") || registryNamed(image);
    if (!looksLikeRef) {
      return Optional.of(
          "no program directory "
              + base.resolve(image).normalize()
              + " (an OCI image reference names its registry, e.g. docker.io/library/"
              + image
              + ")");
    }
    try {
      ImageRef.parse(image);
      return Optional.empty();
    } catch (OciException e) {
      return Optional.of("not an OCI image reference: " + e.getMessage());
    }
  }

  private static boolean registryNamed(String image) {
    int slash = image.indexOf('/');
    if (slash <= 0) {
      return false;
    }
    String first = image.substring(0, slash);
    return first.contains(".") || first.contains(":") || first.equals("localhost");
  }
}
