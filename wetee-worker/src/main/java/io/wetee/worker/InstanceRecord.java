package io.wetee.worker;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.wetee.common.Json;
import io.wetee.worker.spi.FileToWrite;
import io.wetee.worker.spi.ImageRoot;
import io.wetee.worker.spi.InstanceId;
import io.wetee.worker.spi.LaunchSpec;
import io.wetee.worker.spi.Limits;
import io.wetee.worker.spi.RestartPolicy;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the runtime persists per instance ({@code instance.json}): the launch spec it was asked for
 * and the host facts needed to find the instance again after a worker restart.
 *
 * @param id instance id
 * @param spec the launch spec (files by digest only: they are written once, at the first start)
 * @param specDigest SHA-256 of the spec's JSON, compared by an idempotent start
 * @param uid host user id of the sandbox; -1 when the worker is not root
 * @param hostPorts program port to host port
 * @param restarts restarts so far
 * @param desiredRunning false once stop was called: no restart, and an exit is a stop
 * @param pid supervisor pid of the current (or last) run; 0 before the first launch
 * @param startTicks the supervisor's start time in clock ticks since boot
 * @param bootId the boot the run belongs to
 * @param startedAtMillis wall-clock start of the run
 */
record InstanceRecord(
    String id,
    StoredSpec spec,
    String specDigest,
    int uid,
    Map<Integer, Integer> hostPorts,
    int restarts,
    boolean desiredRunning,
    long pid,
    long startTicks,
    String bootId,
    long startedAtMillis) {

  InstanceRecord {
    hostPorts = new TreeMap<>(hostPorts);
  }

  InstanceId instanceId() {
    return InstanceId.of(id);
  }

  InstanceRecord withRun(long newPid, long ticks, String boot, long atMillis) {
    return new InstanceRecord(
        id,
        spec,
        specDigest,
        uid,
        hostPorts,
        restarts,
        desiredRunning,
        newPid,
        ticks,
        boot,
        atMillis);
  }

  InstanceRecord withRestarts(int count) {
    return new InstanceRecord(
        id,
        spec,
        specDigest,
        uid,
        hostPorts,
        count,
        desiredRunning,
        pid,
        startTicks,
        bootId,
        startedAtMillis);
  }

  InstanceRecord withDesiredRunning(boolean running) {
    return new InstanceRecord(
        id,
        spec,
        specDigest,
        uid,
        hostPorts,
        restarts,
        running,
        pid,
        startTicks,
        bootId,
        startedAtMillis);
  }

  /** A file to write, by digest: enough to tell two specs apart. */
  record StoredFile(String path, String sha256, boolean executable) {}

  /**
   * The image of an image instance: reference, verified manifest digest, the host directory of its
   * unpacked root filesystem and the image's {@code User} ({@code ""} for root: then left out of
   * the JSON, so the digest of a root image's spec is what it was before users were honoured).
   */
  record StoredImage(
      String reference,
      String manifestDigest,
      String rootfs,
      @JsonInclude(JsonInclude.Include.NON_EMPTY) String user) {
    StoredImage {
      user = user == null ? "" : user;
    }
  }

  /**
   * The persisted form of a {@link LaunchSpec}. {@code image} is null for a host-rooted
   * (bubblewrap) instance and then left out of the JSON, so such a spec's digest is what it was
   * before images.
   */
  record StoredSpec(
      String workloadId,
      long version,
      String appDir,
      List<String> command,
      String workingDir,
      Map<String, String> env,
      List<StoredFile> files,
      List<Integer> ports,
      Limits limits,
      String restartMode,
      int maxRestarts,
      @JsonInclude(JsonInclude.Include.NON_NULL) StoredImage image) {

    StoredSpec {
      env = new TreeMap<>(env);
    }

    static StoredSpec of(LaunchSpec spec) {
      return new StoredSpec(
          spec.workloadId(),
          spec.version(),
          spec.appDir().map(Path::toString).orElse(""),
          spec.command(),
          spec.workingDir(),
          spec.env(),
          spec.files().stream().map(StoredSpec::stored).toList(),
          spec.ports(),
          spec.limits(),
          spec.restart().mode().name(),
          spec.restart().maxRestarts(),
          spec.image().map(StoredSpec::stored).orElse(null));
    }

    private static StoredImage stored(ImageRoot image) {
      String rootfs = image.rootfs().map(Path::toString).orElse("");
      return new StoredImage(image.reference(), image.manifestDigest(), rootfs, image.user());
    }

    /** The image's {@code User} ({@code ""}: root, also for a bubblewrap instance). */
    String imageUser() {
      return image == null ? "" : image.user();
    }

    /** The host root filesystem of an image instance (runc); empty for a bubblewrap instance. */
    Optional<Path> imageRootfs() {
      return image == null || image.rootfs().isEmpty()
          ? Optional.empty()
          : Optional.of(Path.of(image.rootfs()));
    }

    private static StoredFile stored(FileToWrite file) {
      return new StoredFile(file.path(), sha256Hex(file.content()), file.executable());
    }

    Optional<Path> appDirPath() {
      return appDir.isEmpty() ? Optional.empty() : Optional.of(Path.of(appDir));
    }

    RestartPolicy restartPolicy() {
      return new RestartPolicy(RestartPolicy.Mode.valueOf(restartMode), maxRestarts);
    }

    /** SHA-256 of this spec's JSON (maps sorted, fields in declaration order). */
    String digest() {
      try {
        return sha256Hex(Json.strict().writeValueAsBytes(this));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new WorkerException("cannot serialise a launch spec", e);
      }
    }
  }

  static String sha256Hex(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new WorkerException("SHA-256 is not available", e);
    }
  }
}
