package io.wetee.common.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.wetee.common.Json;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A workload spec (DESIGN §6): YAML for people, canonical JSON (RFC 8785) on chain; {@code specHash
 * = keccak256(canonicalJson())}. Parsing is strict (unknown fields fail) and validates the rules
 * below; absent optional fields stay absent in the canonical form. Immutable.
 *
 * @param name workload name
 * @param kind {@code service} or {@code task}
 * @param tee accepted TEE types, minimum TCB status, debug
 * @param containers at least one, unique names
 * @param task schedule and timeout; only for {@code kind: task}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WorkloadSpec(
    String name, String kind, Tee tee, List<Container> containers, Task task) {

  /** TEE types the contracts know, by their DESIGN names. */
  public static final Set<String> TEE_TYPES = Set.of("SIMULATED", "SGX", "TDX", "SEV_SNP");

  /** TCB status names, in order from best to worst (codes 0..6). */
  public static final List<String> TCB_STATUSES =
      List.of(
          "UpToDate",
          "SWHardeningNeeded",
          "ConfigurationNeeded",
          "ConfigurationAndSWHardeningNeeded",
          "OutOfDate",
          "OutOfDateConfigurationNeeded",
          "Revoked");

  /**
   * @param types accepted TEE types (names of {@link #TEE_TYPES})
   * @param minTcb worst accepted TCB status (default UpToDate)
   * @param allowDebug accept debug TEEs (default false)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Tee(List<String> types, String minTcb, Boolean allowDebug) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Container(
      String name,
      String image,
      List<String> command,
      Map<String, String> env,
      Map<String, String> secretEnv,
      List<FileMount> files,
      List<Port> ports,
      ContainerResources resources,
      Health health) {}

  /** A file whose content is the value of a secret of the owner. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record FileMount(String path, String secret) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Port(Integer port, String protocol, @JsonProperty("public") Boolean exposed) {}

  /** Kubernetes-style quantities: cpu {@code 500m}, memory {@code 256Mi}, disk {@code 1Gi}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ContainerResources(String cpu, String memory, String disk) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Health(String http, Integer intervalSeconds) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Task(Schedule schedule, Integer timeoutSeconds) {}

  /** Every {@code everyBlocks} blocks; 0 or absent runs once. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Schedule(Long everyBlocks) {}

  public WorkloadSpec {
    containers = containers == null ? null : List.copyOf(containers);
  }

  /** Parses YAML (or JSON) and validates it. */
  public static WorkloadSpec parseYaml(String text) {
    try {
      return validated(Json.yaml().readValue(text, WorkloadSpec.class));
    } catch (JacksonException e) {
      throw new SpecException("invalid spec: " + e.getOriginalMessage(), e);
    }
  }

  /** Parses the on-chain JSON bytes and validates them. */
  public static WorkloadSpec parseJson(byte[] json) {
    try {
      return validated(Json.strict().readValue(json, WorkloadSpec.class));
    } catch (java.io.IOException e) {
      throw new SpecException("invalid spec JSON: " + e.getMessage(), e);
    }
  }

  /** The RFC 8785 canonical JSON, UTF-8: what goes on chain and is hashed. */
  public byte[] canonicalJson() {
    JsonNode tree = Json.strict().valueToTree(this);
    return CanonicalJson.bytes(tree);
  }

  /** The canonical JSON as text. */
  public String canonicalText() {
    return new String(canonicalJson(), StandardCharsets.UTF_8);
  }

  /**
   * Every secret name the spec references ({@code containers[].secretEnv} values and {@code
   * containers[].files[].secret}), sorted.
   */
  public SortedSet<String> secretNames() {
    SortedSet<String> names = new TreeSet<>();
    for (Container c : containers) {
      if (c.secretEnv() != null) {
        names.addAll(c.secretEnv().values());
      }
      if (c.files() != null) {
        c.files().forEach(f -> names.add(f.secret()));
      }
    }
    return names;
  }

  /** The worst accepted TCB status code (0 UpToDate .. 6 Revoked); default 0. */
  public int minTcbCode() {
    return tee == null || tee.minTcb() == null ? 0 : TCB_STATUSES.indexOf(tee.minTcb());
  }

  private static WorkloadSpec validated(WorkloadSpec s) {
    if (s == null) {
      throw new SpecException("empty spec");
    }
    require(s.name() != null && !s.name().isBlank(), "name is required");
    require("service".equals(s.kind()) || "task".equals(s.kind()), "kind must be service or task");
    require(s.task() == null || "task".equals(s.kind()), "task: is only for kind: task");
    validateTee(s.tee());
    require(s.containers() != null && !s.containers().isEmpty(), "containers must not be empty");
    Set<String> names = new HashSet<>();
    for (Container c : s.containers()) {
      require(c.name() != null && !c.name().isBlank(), "every container needs a name");
      require(names.add(c.name()), "duplicate container name " + c.name());
      require(c.image() != null && !c.image().isBlank(), "container " + c.name() + ": image");
      validateSecrets(c);
    }
    return s;
  }

  private static void validateTee(Tee tee) {
    if (tee == null) {
      return;
    }
    if (tee.types() != null) {
      require(!tee.types().isEmpty(), "tee.types must not be empty");
      tee.types().forEach(t -> require(TEE_TYPES.contains(t), "unknown tee type " + t));
    }
    require(
        tee.minTcb() == null || TCB_STATUSES.contains(tee.minTcb()),
        "unknown tee.minTcb " + tee.minTcb());
  }

  private static void validateSecrets(Container c) {
    if (c.secretEnv() != null) {
      c.secretEnv()
          .forEach(
              (k, v) ->
                  require(v != null && !v.isEmpty(), "container " + c.name() + ": secretEnv." + k));
    }
    if (c.files() != null) {
      for (FileMount f : c.files()) {
        require(
            f.path() != null && f.path().startsWith("/"),
            "container " + c.name() + ": file path must be absolute");
        require(
            f.secret() != null && !f.secret().isEmpty(),
            "container " + c.name() + ": file " + f.path() + " needs a secret");
      }
    }
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new SpecException("invalid spec: " + message);
    }
  }
}
