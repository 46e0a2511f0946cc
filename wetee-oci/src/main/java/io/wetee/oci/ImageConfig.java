package io.wetee.oci;

import com.fasterxml.jackson.databind.JsonNode;
import io.wetee.common.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The runtime part of an image's config blob (OCI image-spec config.md, {@code config} object).
 *
 * @param entrypoint the {@code Entrypoint} argv, empty when unset
 * @param cmd the {@code Cmd} argv (arguments to the entrypoint, or the command), empty when unset
 * @param env {@code KEY=VALUE} strings in image order, empty when unset
 * @param workingDir the working directory, {@code /} when unset
 * @param user the {@code User} field as written ({@code name}, {@code uid}, {@code uid:gid}), empty
 *     when unset (root)
 * @param exposedPorts the {@code ExposedPorts} keys such as {@code 8080/tcp}, sorted
 */
public record ImageConfig(
    List<String> entrypoint,
    List<String> cmd,
    List<String> env,
    String workingDir,
    String user,
    Set<String> exposedPorts) {
  /** Copies the collections. */
  public ImageConfig {
    entrypoint = List.copyOf(entrypoint);
    cmd = List.copyOf(cmd);
    env = List.copyOf(env);
    exposedPorts = Set.copyOf(exposedPorts);
  }

  /** The {@code Env} list as a map, in image order (a later duplicate wins, as in a shell). */
  public java.util.Map<String, String> envMap() {
    java.util.Map<String, String> map = new java.util.LinkedHashMap<>();
    for (String pair : env) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        map.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
    }
    return map;
  }

  /** The argv the image runs by default: entrypoint followed by cmd. */
  public List<String> command() {
    List<String> argv = new ArrayList<>(entrypoint);
    argv.addAll(cmd);
    return argv;
  }

  /**
   * Parses a config blob and checks it is for linux/amd64.
   *
   * @throws OciException {@code bad-manifest} for malformed JSON, {@code no-platform} for another
   *     platform
   */
  public static ImageConfig parse(byte[] blob) {
    JsonNode root;
    try {
      root = Json.lenient().readTree(blob);
    } catch (IOException e) {
      throw new OciException(
          OciException.Reason.BAD_MANIFEST, "image config is not JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new OciException(OciException.Reason.BAD_MANIFEST, "image config is not an object");
    }
    String os = root.path("os").asText("");
    String arch = root.path("architecture").asText("");
    if (!os.equals("linux") || !arch.equals("amd64")) {
      throw new OciException(
          OciException.Reason.NO_PLATFORM,
          "image config is for " + os + "/" + arch + ", this worker runs linux/amd64");
    }
    JsonNode config = root.path("config");
    Set<String> ports = new TreeSet<>();
    config.path("ExposedPorts").fieldNames().forEachRemaining(ports::add);
    String workingDir = text(config, "WorkingDir");
    return new ImageConfig(
        strings(config, "Entrypoint"),
        strings(config, "Cmd"),
        strings(config, "Env"),
        workingDir.isEmpty() ? "/" : workingDir,
        text(config, "User"),
        ports);
  }

  private static String text(JsonNode config, String field) {
    JsonNode node = config.path(field);
    if (node.isMissingNode() || node.isNull()) {
      return "";
    }
    if (!node.isTextual()) {
      throw new OciException(
          OciException.Reason.BAD_MANIFEST, "image config field " + field + " is not a string");
    }
    return node.asText();
  }

  private static List<String> strings(JsonNode config, String field) {
    JsonNode node = config.path(field);
    if (node.isMissingNode() || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new OciException(
          OciException.Reason.BAD_MANIFEST, "image config field " + field + " is not an array");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode item : node) {
      if (!item.isTextual()) {
        throw new OciException(
            OciException.Reason.BAD_MANIFEST, "image config field " + field + " has a non-string");
      }
      out.add(item.asText());
    }
    return out;
  }
}
