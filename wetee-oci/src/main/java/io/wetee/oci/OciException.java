package io.wetee.oci;

/**
 * Every failure of this module: a bad reference, a registry that refuses or lies, a layer that is
 * unsafe to unpack, a local I/O fault. {@link #code()} is a stable kebab-case string callers may
 * map to exit codes or API problems; the message says what happened in words.
 */
public final class OciException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why an operation failed. The {@link #code()} strings are stable. */
  public enum Reason {
    /** The image reference does not parse. */
    BAD_REFERENCE("bad-reference"),
    /** An operation that needs a digest-pinned reference got a tag-only one. */
    UNPINNED("unpinned-reference"),
    /** Bytes from the registry (or the cache) do not have the digest that names them. */
    DIGEST_MISMATCH("digest-mismatch"),
    /** The registry answered 404 for the repository, manifest or blob. */
    NOT_FOUND("not-found"),
    /** The registry or its token service refused our credentials (or their absence). */
    UNAUTHORIZED("unauthorized"),
    /** A manifest, config or layer media type we do not handle (for example zstd layers). */
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type"),
    /** An image index without a linux/amd64 manifest, or a config for another platform. */
    NO_PLATFORM("no-platform"),
    /** A manifest or config document that is not valid JSON of the expected shape. */
    BAD_MANIFEST("bad-manifest"),
    /** A layer with path traversal, a device node, a FIFO, a link escaping the root, bad tar. */
    LAYER_REFUSED("layer-refused"),
    /** A document or blob larger than allowed. */
    TOO_LARGE("too-large"),
    /** The registry failed (5xx, unexpected status, connection error) after the retries. */
    REGISTRY_ERROR("registry-error"),
    /** A local file system fault in the cache. */
    IO_ERROR("io-error");

    private final String code;

    Reason(String code) {
      this.code = code;
    }

    /** Stable kebab-case code. */
    public String code() {
      return code;
    }
  }

  private final Reason reason;

  /** A failure for {@code reason} with a human-readable {@code message}. */
  public OciException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** A failure for {@code reason} with a human-readable {@code message} and its cause. */
  public OciException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** Why the operation failed. */
  public Reason reason() {
    return reason;
  }

  /** The stable code of {@link #reason()}, for example {@code digest-mismatch}. */
  public String code() {
    return reason.code();
  }

  @Override
  public String getMessage() {
    return reason.code() + ": " + super.getMessage();
  }
}
