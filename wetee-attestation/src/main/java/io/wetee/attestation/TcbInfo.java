package io.wetee.attestation;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Intel TCB info, versions 2 and 3, for SGX and TDX.
 *
 * <p>Design notes: Intel PCS API v4 "TCB Info V2/V3" (and the TDX variant): v2 levels carry {@code
 * sgxtcbcomp01svn..16svn} and {@code pcesvn}; v3 levels carry {@code sgxtcbcomponents} (and for TDX
 * {@code tdxtcbcomponents}) arrays of 16 {@code {svn}} objects, and the TDX variant adds the TDX
 * module and its identities. Levels are kept in the published order (highest first), which the
 * level match relies on, as Intel QVL does.
 */
@SuppressWarnings("ArrayRecordComponent") // internal value; arrays are never shared out
record TcbInfo(
    String id,
    int version,
    Instant issueDate,
    Instant nextUpdate,
    byte[] fmspc,
    byte[] pceId,
    List<Level> levels,
    Optional<ModuleIdentity> tdxModule,
    List<ModuleIdentity> moduleIdentities) {

  /** A platform TCB level; {@code tdx} is empty for SGX TCB info. */
  record Level(
      int[] sgx,
      int pceSvn,
      int[] tdx,
      String tcbDate,
      TcbStatus status,
      List<String> advisories) {}

  /** The TDX module identity (or the v3 {@code tdxModule} entry, with no levels). */
  record ModuleIdentity(
      String id,
      byte[] mrSigner,
      byte[] attributes,
      byte[] attributesMask,
      List<IsvLevel> levels) {}

  /** A level keyed by one ISVSVN (QE identity and TDX module identities). */
  record IsvLevel(int isvSvn, TcbStatus status, List<String> advisories) {}

  static TcbInfo parse(JsonNode n) {
    int version = JsonFields.integer(n, "version", "tcbInfo");
    String id = n.has("id") ? JsonFields.text(n, "id", "tcbInfo") : "SGX";
    if (version != 2 && version != 3) {
      throw new EvidenceFormatException("tcbInfo.version", -1, "unsupported " + version);
    }
    List<Level> levels = new ArrayList<>();
    for (JsonNode l : JsonFields.array(n, "tcbLevels", "tcbInfo")) {
      levels.add(level(l.path("tcb"), l, version));
    }
    Optional<ModuleIdentity> module =
        n.has("tdxModule")
            ? Optional.of(module(n.get("tdxModule"), "tdxModule"))
            : Optional.empty();
    List<ModuleIdentity> ids = new ArrayList<>();
    if (n.has("tdxModuleIdentities")) {
      for (JsonNode m : JsonFields.array(n, "tdxModuleIdentities", "tcbInfo")) {
        ids.add(module(m, JsonFields.text(m, "id", "tdxModuleIdentities")));
      }
    }
    return new TcbInfo(
        id,
        version,
        JsonFields.instant(n, "issueDate", "tcbInfo"),
        JsonFields.instant(n, "nextUpdate", "tcbInfo"),
        JsonFields.hex(n, "fmspc", 6, "tcbInfo"),
        JsonFields.hex(n, "pceId", 2, "tcbInfo"),
        List.copyOf(levels),
        module,
        List.copyOf(ids));
  }

  private static Level level(JsonNode tcb, JsonNode l, int version) {
    int[] sgx = new int[16];
    int[] tdx = new int[0];
    if (version == 2) {
      for (int i = 0; i < 16; i++) {
        sgx[i] = JsonFields.integer(tcb, String.format("sgxtcbcomp%02dsvn", i + 1), "tcb");
      }
    } else {
      sgx = components(tcb, "sgxtcbcomponents");
      if (tcb.has("tdxtcbcomponents")) {
        tdx = components(tcb, "tdxtcbcomponents");
      }
    }
    return new Level(
        sgx,
        JsonFields.integer(tcb, "pcesvn", "tcb"),
        tdx,
        l.path("tcbDate").asText(""),
        JsonFields.status(l, "tcbLevels"),
        JsonFields.strings(l, "advisoryIDs"));
  }

  private static int[] components(JsonNode tcb, String name) {
    List<JsonNode> arr = JsonFields.array(tcb, name, "tcb");
    if (arr.size() != 16) {
      throw new EvidenceFormatException("tcb." + name, -1, "expected 16 components");
    }
    int[] out = new int[16];
    for (int i = 0; i < 16; i++) {
      out[i] = JsonFields.integer(arr.get(i), "svn", name);
    }
    return out;
  }

  static ModuleIdentity module(JsonNode m, String id) {
    List<IsvLevel> levels = new ArrayList<>();
    if (m.has("tcbLevels")) {
      for (JsonNode l : JsonFields.array(m, "tcbLevels", id)) {
        levels.add(isvLevel(l, id));
      }
    }
    return new ModuleIdentity(
        id,
        JsonFields.hex(m, "mrsigner", 48, id),
        JsonFields.hex(m, "attributes", 8, id),
        JsonFields.hex(m, "attributesMask", 8, id),
        List.copyOf(levels));
  }

  static IsvLevel isvLevel(JsonNode l, String where) {
    return new IsvLevel(
        JsonFields.integer(l.path("tcb"), "isvsvn", where),
        JsonFields.status(l, where),
        JsonFields.strings(l, "advisoryIDs"));
  }
}
