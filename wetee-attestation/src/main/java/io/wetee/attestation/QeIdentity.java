package io.wetee.attestation;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Intel QE identity (enclave identity v2) for the SGX QE ("QE") or the TDX QE ("TD_QE").
 *
 * <p>Design notes: Intel PCS API v4 "Enclave Identity V2": MISCSELECT and ATTRIBUTES are compared
 * under their masks, MRSIGNER and ISVPRODID exactly; the QE TCB level is the first level whose
 * ISVSVN is at most the QE's ISVSVN (Intel QVL {@code EnclaveIdentityV2::getTcbStatus}). The
 * MISCSELECT hex is the field's bytes in report order (little-endian).
 */
@SuppressWarnings("ArrayRecordComponent") // internal value; arrays are never shared out
record QeIdentity(
    String id,
    int version,
    Instant issueDate,
    Instant nextUpdate,
    long miscSelect,
    long miscSelectMask,
    byte[] attributes,
    byte[] attributesMask,
    byte[] mrSigner,
    int isvProdId,
    List<TcbInfo.IsvLevel> levels) {

  static QeIdentity parse(JsonNode n) {
    int version = JsonFields.integer(n, "version", "enclaveIdentity");
    if (version != 2) {
      throw new EvidenceFormatException("enclaveIdentity.version", -1, "unsupported " + version);
    }
    List<TcbInfo.IsvLevel> levels = new ArrayList<>();
    for (JsonNode l : JsonFields.array(n, "tcbLevels", "enclaveIdentity")) {
      levels.add(TcbInfo.isvLevel(l, "enclaveIdentity.tcbLevels"));
    }
    return new QeIdentity(
        JsonFields.text(n, "id", "enclaveIdentity"),
        version,
        JsonFields.instant(n, "issueDate", "enclaveIdentity"),
        JsonFields.instant(n, "nextUpdate", "enclaveIdentity"),
        ByteReader.u32At(JsonFields.hex(n, "miscselect", 4, "enclaveIdentity"), 0),
        ByteReader.u32At(JsonFields.hex(n, "miscselectMask", 4, "enclaveIdentity"), 0),
        JsonFields.hex(n, "attributes", 16, "enclaveIdentity"),
        JsonFields.hex(n, "attributesMask", 16, "enclaveIdentity"),
        JsonFields.hex(n, "mrsigner", 32, "enclaveIdentity"),
        JsonFields.integer(n, "isvprodid", "enclaveIdentity"),
        List.copyOf(levels));
  }
}
