package io.wetee.worker.spi;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What to run as one instance: the runtime's own small input, independent of the workload spec (an
 * adapter maps a spec container to it). Immutable; build with {@link #builder}.
 *
 * <p>The program sees its read-only program directory at {@code /app} (when {@code appDir} is
 * present), a private writable work directory at {@code /work} (also {@code HOME}) and a private
 * {@code /tmp}. Each entry of {@code ports} is a port the program serves; the runtime makes it
 * reachable from the worker at {@link InstanceStatus#host()} (the local runtime allocates a host
 * port per entry on 127.0.0.1; a pod serves the same number at its IP), tells the program through
 * {@code PORT} (first entry) and {@code WETEE_PORT_<port>}, and reports the mapping in {@link
 * InstanceStatus#ports()}.
 *
 * @param id the instance's name; two starts with the same id are one instance
 * @param workloadId the workload it belongs to (the chain's id, as text)
 * @param version the workload version it runs
 * @param appDir the prepared program directory (for example an unpacked bundle), mounted read-only
 * @param command program and arguments, resolved inside the sandbox ({@code PATH} applies)
 * @param workingDir absolute directory inside the sandbox to start in
 * @param env environment variables of the program (the worker's own environment never leaks in)
 * @param files files written into the work directory before the first start
 * @param ports ports the program serves
 * @param limits resource limits
 * @param restart restart policy
 * @param image the OCI image to run in (runc or Kubernetes runtimes); absent: the host-rooted
 *     sandbox of the local runtime with {@code appDir}
 * @param workload who owns the workload, its kind, TEE type, spec hash and health path; required by
 *     cluster runtimes (Kubernetes), ignored by the local runtime
 */
public record LaunchSpec(
    InstanceId id,
    String workloadId,
    long version,
    Optional<Path> appDir,
    List<String> command,
    String workingDir,
    Map<String, String> env,
    List<FileToWrite> files,
    List<Integer> ports,
    Limits limits,
    RestartPolicy restart,
    Optional<ImageRoot> image,
    Optional<WorkloadMeta> workload) {

  public LaunchSpec {
    if (id == null || workloadId == null || workloadId.isBlank() || version < 0) {
      throw new IllegalArgumentException("id, workloadId and a non-negative version are required");
    }
    if (command == null || command.isEmpty() || command.get(0).isBlank()) {
      throw new IllegalArgumentException("command must name a program");
    }
    if (workingDir == null || !workingDir.startsWith("/")) {
      throw new IllegalArgumentException("workingDir must be absolute inside the sandbox");
    }
    for (int port : ports) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
    }
    if (ports.stream().distinct().count() != ports.size()) {
      throw new IllegalArgumentException("ports must be distinct: " + ports);
    }
    appDir = appDir.map(Path::toAbsolutePath);
    command = List.copyOf(command);
    env = Map.copyOf(env);
    files = List.copyOf(files);
    ports = List.copyOf(ports);
    image = image == null ? Optional.empty() : image;
    workload = workload == null ? Optional.empty() : workload;
  }

  public static Builder builder(InstanceId id, String workloadId, long version) {
    return new Builder(id, workloadId, version);
  }

  /** Collects the optional parts of a {@link LaunchSpec}. Not thread-safe. */
  public static final class Builder {
    private final InstanceId id;
    private final String workloadId;
    private final long version;
    private Optional<Path> appDir = Optional.empty();
    private List<String> command = List.of();
    private String workingDir = "";
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<FileToWrite> files = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();
    private Limits limits = Limits.DEFAULT;
    private RestartPolicy restart = RestartPolicy.NEVER;
    private Optional<ImageRoot> image = Optional.empty();
    private Optional<WorkloadMeta> workload = Optional.empty();

    private Builder(InstanceId id, String workloadId, long version) {
      this.id = id;
      this.workloadId = workloadId;
      this.version = version;
    }

    /** The read-only program directory; the default working directory becomes {@code /app}. */
    public Builder appDir(Path dir) {
      this.appDir = Optional.of(dir);
      return this;
    }

    public Builder command(String... args) {
      this.command = List.of(args);
      return this;
    }

    public Builder command(List<String> args) {
      this.command = List.copyOf(args);
      return this;
    }

    public Builder workingDir(String dir) {
      this.workingDir = dir;
      return this;
    }

    public Builder env(String name, String value) {
      env.put(name, value);
      return this;
    }

    public Builder env(Map<String, String> values) {
      env.putAll(values);
      return this;
    }

    public Builder file(FileToWrite file) {
      files.add(file);
      return this;
    }

    public Builder port(int port) {
      ports.add(port);
      return this;
    }

    public Builder limits(Limits value) {
      this.limits = value;
      return this;
    }

    public Builder restart(RestartPolicy value) {
      this.restart = value;
      return this;
    }

    /** Runs the instance in this OCI image. */
    public Builder image(ImageRoot value) {
      this.image = Optional.of(value);
      return this;
    }

    /** What a cluster runtime needs to know about the workload (owner, kind, TEE type, ...). */
    public Builder workload(WorkloadMeta value) {
      this.workload = Optional.of(value);
      return this;
    }

    public LaunchSpec build() {
      String dir = !workingDir.isEmpty() ? workingDir : appDir.isPresent() ? "/app" : "/work";
      return new LaunchSpec(
          id,
          workloadId,
          version,
          appDir,
          command,
          dir,
          env,
          files,
          ports,
          limits,
          restart,
          image,
          workload);
    }
  }
}
