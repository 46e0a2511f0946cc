package io.wetee.attestation;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * TCB evaluation of a DCAP quote: QE identity, platform TCB level, TDX module, and the merged
 * status.
 *
 * <p>Design notes: follows Intel QVL {@code TcbLevelCheck.cpp} ({@code matchTcbLevels}: the SGX
 * level is the first level whose 16 SGX components and PCESVN are all at most the PCK
 * certificate's; for TDX the TDX level is the first such level whose TDX components are also at
 * most TEE_TCB_SVN, skipping the first two bytes when TEE_TCB_SVN[1] is non-zero), {@code
 * TdxModuleCheck.cpp} (identity {@code TDX_<TEE_TCB_SVN[1] hex>}, level by TEE_TCB_SVN[0]) and the
 * two convergence rules: a module or QE that is OutOfDate turns UpToDate/SWHardeningNeeded into
 * OutOfDate and the Configuration statuses into OutOfDateConfigurationNeeded; Revoked wins. Not
 * modelled: TD relaunch advice (TD report 1.5 TEE_TCB_SVN2), which yields statuses outside {@link
 * TcbStatus}.
 */
final class TcbEvaluator {
  private TcbEvaluator() {}

  record Result(
      TcbStatus status,
      TcbStatus qeStatus,
      Optional<TcbStatus> moduleStatus,
      List<String> advisories,
      String tcbDate) {}

  static Result evaluate(DcapQuote q, PckCert pck, TcbInfo info, QeIdentity qe) {
    boolean tdx = q.isTdx();
    TcbInfo.IsvLevel qeLevel = checkQe(q.qeReport(), qe, tdx);
    checkTcbInfoFits(info, pck, tdx);
    TcbInfo.Level level = matchLevel(info, pck, tdx ? q.tdBody().teeTcbSvn() : null);
    TcbStatus status = level.status();
    Optional<TcbInfo.IsvLevel> module = Optional.empty();
    if (tdx) {
      module = checkModule(q.tdBody(), info);
      if (module.isPresent()) {
        status = converge(status, module.get().status());
      }
    }
    status = converge(status, qeLevel.status());
    Set<String> advisories = new LinkedHashSet<>(level.advisories());
    module.ifPresent(m -> advisories.addAll(m.advisories()));
    advisories.addAll(qeLevel.advisories());
    return new Result(
        status,
        qeLevel.status(),
        module.map(TcbInfo.IsvLevel::status),
        List.copyOf(advisories),
        level.tcbDate());
  }

  static TcbStatus converge(TcbStatus platform, TcbStatus component) {
    if (component == TcbStatus.Revoked) {
      return TcbStatus.Revoked;
    }
    if (component == TcbStatus.OutOfDate) {
      return switch (platform) {
        case UpToDate, SWHardeningNeeded -> TcbStatus.OutOfDate;
        case ConfigurationNeeded, ConfigurationAndSWHardeningNeeded ->
            TcbStatus.OutOfDateConfigurationNeeded;
        default -> platform;
      };
    }
    return platform;
  }

  private static TcbInfo.IsvLevel checkQe(SgxReportBody r, QeIdentity qe, boolean tdx) {
    String expectedId = tdx ? "TD_QE" : "QE";
    if (!qe.id().equals(expectedId)) {
      throw new Reject(
          RejectReason.COLLATERAL_MISMATCH,
          "QE identity id " + qe.id() + ", expected " + expectedId);
    }
    if (!Arrays.equals(r.mrSigner(), qe.mrSigner())) {
      throw new Reject(RejectReason.QE_IDENTITY_MISMATCH, "QE MRSIGNER differs from QE identity");
    }
    if (r.isvProdId() != qe.isvProdId()) {
      throw new Reject(RejectReason.QE_IDENTITY_MISMATCH, "QE ISVPRODID " + r.isvProdId());
    }
    if ((r.miscSelect() & qe.miscSelectMask()) != (qe.miscSelect() & qe.miscSelectMask())) {
      throw new Reject(RejectReason.QE_IDENTITY_MISMATCH, "QE MISCSELECT differs under mask");
    }
    if (!maskedEqual(r.attributes(), qe.attributes(), qe.attributesMask())) {
      throw new Reject(RejectReason.QE_IDENTITY_MISMATCH, "QE ATTRIBUTES differ under mask");
    }
    for (TcbInfo.IsvLevel l : qe.levels()) {
      if (r.isvSvn() >= l.isvSvn()) {
        return l;
      }
    }
    throw new Reject(
        RejectReason.TCB_LEVEL_NOT_FOUND, "no QE identity TCB level for QE ISVSVN " + r.isvSvn());
  }

  private static void checkTcbInfoFits(TcbInfo info, PckCert pck, boolean tdx) {
    String expectedId = tdx ? "TDX" : "SGX";
    if (!info.id().equals(expectedId) || (tdx && info.version() < 3)) {
      throw new Reject(
          RejectReason.COLLATERAL_MISMATCH,
          "TCB info id " + info.id() + " v" + info.version() + " for a " + expectedId + " quote");
    }
    if (!Arrays.equals(info.fmspc(), pck.fmspc())) {
      throw new Reject(
          RejectReason.COLLATERAL_MISMATCH,
          "TCB info FMSPC " + hex(info.fmspc()) + " differs from the PCK's " + hex(pck.fmspc()));
    }
    if (!Arrays.equals(info.pceId(), pck.pceId())) {
      throw new Reject(RejectReason.COLLATERAL_MISMATCH, "TCB info PCE-ID differs from the PCK's");
    }
  }

  private static TcbInfo.Level matchLevel(TcbInfo info, PckCert pck, byte[] teeTcbSvn) {
    boolean sgxMatched = false;
    for (TcbInfo.Level l : info.levels()) {
      if (!sgxAtLeast(pck, l)) {
        continue;
      }
      if (teeTcbSvn == null) {
        return l;
      }
      sgxMatched = true;
      if (tdxAtLeast(teeTcbSvn, l)) {
        return l;
      }
    }
    throw new Reject(
        RejectReason.TCB_LEVEL_NOT_FOUND,
        (sgxMatched ? "TEE_TCB_SVN " + hex(teeTcbSvn) : "PCK SGX TCB " + comps(pck))
            + " is below every TCB level of FMSPC "
            + hex(info.fmspc()));
  }

  private static boolean sgxAtLeast(PckCert pck, TcbInfo.Level l) {
    for (int i = 0; i < 16; i++) {
      if (pck.components()[i] < l.sgx()[i]) {
        return false;
      }
    }
    return pck.pceSvn() >= l.pceSvn();
  }

  private static boolean tdxAtLeast(byte[] tee, TcbInfo.Level l) {
    if (l.tdx().length != 16) {
      return false;
    }
    for (int i = (tee[1] & 0xff) > 0 ? 2 : 0; i < 16; i++) {
      if ((tee[i] & 0xff) < l.tdx()[i]) {
        return false;
      }
    }
    return true;
  }

  private static Optional<TcbInfo.IsvLevel> checkModule(TdReportBody td, TcbInfo info) {
    int version = td.teeTcbSvn()[1] & 0xff;
    TcbInfo.ModuleIdentity id = null;
    if (version > 0) {
      String want = String.format(Locale.ROOT, "TDX_%02X", version);
      id =
          info.moduleIdentities().stream()
              .filter(m -> m.id().toUpperCase(Locale.ROOT).equals(want))
              .findFirst()
              .orElseThrow(
                  () -> new Reject(RejectReason.TDX_MODULE_MISMATCH, "no TDX module " + want));
    } else if (info.tdxModule().isPresent()) {
      id = info.tdxModule().get();
    }
    if (id == null) {
      return Optional.empty();
    }
    if (!Arrays.equals(td.mrSignerSeam(), id.mrSigner())
        || !maskedEqual(td.seamAttributes(), id.attributes(), id.attributesMask())) {
      throw new Reject(
          RejectReason.TDX_MODULE_MISMATCH,
          "MRSIGNERSEAM or SEAM_ATTRIBUTES differ from " + id.id());
    }
    if (version == 0) {
      return Optional.empty();
    }
    int isvSvn = td.teeTcbSvn()[0] & 0xff;
    for (TcbInfo.IsvLevel l : id.levels()) {
      if (isvSvn >= l.isvSvn()) {
        return Optional.of(l);
      }
    }
    throw new Reject(
        RejectReason.TCB_LEVEL_NOT_FOUND, "no " + id.id() + " TCB level for ISVSVN " + isvSvn);
  }

  private static boolean maskedEqual(byte[] actual, byte[] expected, byte[] mask) {
    if (actual.length != expected.length || mask.length != expected.length) {
      return false;
    }
    for (int i = 0; i < actual.length; i++) {
      if ((actual[i] & mask[i]) != (expected[i] & mask[i])) {
        return false;
      }
    }
    return true;
  }

  private static String comps(PckCert p) {
    return Arrays.toString(p.components()) + " PCESVN " + p.pceSvn();
  }

  private static String hex(byte[] b) {
    return io.wetee.common.Hex.encode(b).toUpperCase(Locale.ROOT);
  }
}
