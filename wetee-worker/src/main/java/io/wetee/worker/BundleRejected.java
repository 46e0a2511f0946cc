package io.wetee.worker;

/** Internal signal that a bundle is refused; turned into a value at the public boundary. */
final class BundleRejected extends Exception {
  private static final long serialVersionUID = 1L;

  private final BundleRefusal reason;

  BundleRejected(BundleRefusal reason, String detail) {
    super(detail, null, false, false);
    this.reason = reason;
  }

  BundleRefusal reason() {
    return reason;
  }

  FetchResult.Refused toResult() {
    return new FetchResult.Refused(reason, getMessage());
  }
}
