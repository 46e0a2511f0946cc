package io.wetee.attestation;

/**
 * Evidence or collateral bytes that do not parse: names the field and its byte offset (or -1 for
 * text formats). The verifier turns it into {@link RejectReason#MALFORMED_EVIDENCE}; only the
 * parsing entry points let it escape.
 */
public final class EvidenceFormatException extends AttestationException {
  private static final long serialVersionUID = 1L;

  private final String field;
  private final long offset;

  public EvidenceFormatException(String field, long offset, String problem) {
    super(field + " at offset " + offset + ": " + problem);
    this.field = field;
    this.offset = offset;
  }

  /** The field that failed to parse. */
  public String field() {
    return field;
  }

  /** The byte offset of the field in the input, or -1 when not applicable. */
  public long offset() {
    return offset;
  }
}
