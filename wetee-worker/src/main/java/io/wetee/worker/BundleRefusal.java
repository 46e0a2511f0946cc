package io.wetee.worker;

/** Why a program bundle was refused. The {@link #code()} strings are stable. */
public enum BundleRefusal {
  /** The archive does not exist at its location (file missing, HTTP 404). */
  NOT_FOUND("not-found"),
  /** The archive could not be fetched (I/O error, HTTP status other than 200 or 404). */
  FETCH_FAILED("fetch-failed"),
  /** The archive's bytes do not have the referenced SHA-256. */
  DIGEST_MISMATCH("digest-mismatch"),
  /** A size limit of {@link BundleLimits} was exceeded. */
  TOO_LARGE("too-large"),
  /** Not a gzip-compressed tar, or a corrupt one. */
  MALFORMED("malformed"),
  /** An entry name is absolute, has a {@code ..} segment, or passes through a symlink. */
  UNSAFE_PATH("unsafe-path"),
  /** A symlink is absolute or resolves outside the bundle. */
  UNSAFE_LINK("unsafe-link"),
  /** A hard link, device node, FIFO or other entry type a program bundle must not have. */
  UNSUPPORTED_ENTRY("unsupported-entry"),
  /** Two entries have the same name. */
  DUPLICATE_ENTRY("duplicate-entry");

  private final String code;

  BundleRefusal(String code) {
    this.code = code;
  }

  /** Stable kebab-case code. */
  public String code() {
    return code;
  }
}
