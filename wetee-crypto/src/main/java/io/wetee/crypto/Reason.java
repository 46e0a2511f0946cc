package io.wetee.crypto;

/**
 * Why untrusted input was rejected. The {@link #code()} strings are stable: other modules, the
 * gateway and the contracts' tooling may persist or display them.
 */
public enum Reason {
  /** A byte string has the wrong length for its type. */
  WRONG_LENGTH("wrong-length"),
  /** Bytes follow a complete encoding. */
  TRAILING_BYTES("trailing-bytes"),
  /** The leading version byte is not one this code understands. */
  UNSUPPORTED_VERSION("unsupported-version"),
  /** The message type byte does not name a known message. */
  UNKNOWN_MESSAGE_TYPE("unknown-message-type"),
  /** A compressed point does not start with 0x02 or 0x03. */
  BAD_POINT_PREFIX("bad-point-prefix"),
  /** A coordinate is not a canonical field element (x >= p). */
  COORDINATE_OUT_OF_RANGE("coordinate-out-of-range"),
  /** No point on secp256k1 has this x coordinate. */
  NOT_ON_CURVE("not-on-curve"),
  /** The point at infinity is never a valid key, commitment or ciphertext component. */
  POINT_AT_INFINITY("point-at-infinity"),
  /** A scalar is not canonical: it is not below the group order n. */
  SCALAR_OUT_OF_RANGE("scalar-out-of-range"),
  /** A private key, nonce or secret scalar is zero. */
  ZERO_SCALAR("zero-scalar"),
  /** An integer field does not fit its declared width, or a participant index is out of range. */
  VALUE_OUT_OF_RANGE("value-out-of-range"),
  /** Entries that must be strictly ascending (canonical order) are not. */
  NOT_CANONICAL_ORDER("not-canonical-order"),
  /** Text is not valid hex, or an address fails its EIP-55 checksum. */
  BAD_TEXT_ENCODING("bad-text-encoding"),
  /** r or s of an ECDSA signature is outside [1, n). */
  SIGNATURE_OUT_OF_RANGE("signature-out-of-range"),
  /** s is above n/2; Ethereum (EIP-2, OpenZeppelin ECDSA) accepts only low-s signatures. */
  HIGH_S("high-s"),
  /** v is neither 27 nor 28. */
  BAD_RECOVERY_ID("bad-recovery-id"),
  /** No public key recovers from this signature and hash. */
  UNRECOVERABLE_SIGNATURE("unrecoverable-signature"),
  /** AES-GCM authentication failed: wrong key, wrong binding, or tampered ciphertext. */
  AUTHENTICATION_FAILED("authentication-failed"),
  /** A zero-knowledge proof (DLEQ) does not verify. */
  INVALID_PROOF("invalid-proof"),
  /** The sender or subject of a message is not a participant of this session. */
  UNKNOWN_PARTICIPANT("unknown-participant"),
  /** The same sender already sent this message, or two shares carry the same index. */
  DUPLICATE("duplicate"),
  /** A protocol message names another session. */
  WRONG_SESSION("wrong-session"),
  /** A protocol message arrived outside the phase that accepts it. */
  WRONG_PHASE("wrong-phase"),
  /** A deal's commitments or share list do not fit the session (count, recipients). */
  MALFORMED_DEAL("malformed-deal"),
  /** A reshare deal's constant commitment differs from the dealer's old verification key. */
  RESHARE_CONSTANT_MISMATCH("reshare-constant-mismatch"),
  /** A complaint or reveal refers to no complaint or deal that calls for it. */
  UNSOLICITED("unsolicited"),
  /** Fewer valid contributions than the threshold requires. */
  NOT_ENOUGH_SHARES("not-enough-shares"),
  /** A parameter does not make sense (empty name, threshold above member count). */
  INVALID_ARGUMENT("invalid-argument");

  private final String code;

  Reason(String code) {
    this.code = code;
  }

  /** Stable, kebab-case identifier of this reason. */
  public String code() {
    return code;
  }
}
