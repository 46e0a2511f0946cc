package io.wetee.worker.spi;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The OCI image an instance runs in, instead of the host-rooted sandbox with a program directory.
 *
 * @param reference the image reference pinned by digest, as in the spec (for example {@code
 *     127.0.0.1:5000/hello@sha256:...}); a runtime that pulls by itself (Kubernetes) uses it
 * @param manifestDigest the verified manifest digest ({@code sha256:...}) the instance runs
 * @param rootfs the unpacked, verified root filesystem, for runtimes that run it from the host
 *     (runc); the runtime must not modify it (it is shared by every instance of the image)
 * @param user the image config's {@code User} as written ({@code ""}: root); a runtime that runs
 *     the root filesystem itself resolves it against the image's {@code /etc/passwd} and {@code
 *     /etc/group} and refuses an instance whose user it cannot resolve
 */
public record ImageRoot(
    String reference, String manifestDigest, Optional<Path> rootfs, String user) {
  public ImageRoot {
    if (reference == null || reference.isBlank()) {
      throw new IllegalArgumentException("image reference is required");
    }
    if (manifestDigest == null || !manifestDigest.matches("sha256:[0-9a-f]{64}")) {
      throw new IllegalArgumentException("manifest digest must be sha256:<64 hex>");
    }
    if (user == null) {
      throw new IllegalArgumentException("image user is required (empty for root)");
    }
    rootfs = rootfs.map(Path::toAbsolutePath);
  }

  /** An image whose program runs as root inside its instance (an empty {@code User}). */
  public ImageRoot(String reference, String manifestDigest, Optional<Path> rootfs) {
    this(reference, manifestDigest, rootfs, "");
  }
}
