package io.wetee.worker.spi;

/** Why a runtime refused to start an instance. The {@link #code()} strings are stable. */
public enum StartRefusal {
  /** An instance with this id exists with a different launch spec. */
  SPEC_CONFLICT("spec-conflict"),
  /** The program directory does not exist or is not a directory. */
  APP_DIR_MISSING("app-dir-missing"),
  /** The sandbox's user could not read the program directory (it and its ancestors need o+rx). */
  APP_DIR_UNREADABLE("app-dir-unreadable"),
  /**
   * The launch spec names an image this runtime cannot run: no unpacked root filesystem on this
   * host, or (local runtime) the worker is not root, which runc needs.
   */
  IMAGE_UNAVAILABLE("image-unavailable"),
  /**
   * The image's {@code User} names a user or group its {@code /etc/passwd} or {@code /etc/group}
   * does not define, or is malformed; the instance never falls back to root.
   */
  IMAGE_USER_UNKNOWN("image-user-unknown"),
  /** No host port could be allocated for a program port. */
  NO_FREE_PORT("no-free-port"),
  /** Every sandbox user id of the configured range is in use. */
  NO_FREE_UID("no-free-uid");

  private final String code;

  StartRefusal(String code) {
    this.code = code;
  }

  /** Stable kebab-case code. */
  public String code() {
    return code;
  }
}
