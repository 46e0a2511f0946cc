package io.wetee.attestation;

import io.wetee.common.Hex;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Builds the {@link Verified} value of a DCAP quote: measurements, debug flag, platform id. */
final class DcapResults {
  private DcapResults() {}

  static Verified verified(DcapQuote q, TeeType tee, PckCert pck, TcbEvaluator.Result tcb) {
    Map<String, String> m = new LinkedHashMap<>();
    boolean debug;
    if (q.sgxBody() != null) {
      SgxReportBody b = q.sgxBody();
      m.put("mrEnclave", Hex.encode(b.mrEnclave()));
      m.put("mrSigner", Hex.encode(b.mrSigner()));
      m.put("isvProdId", Integer.toString(b.isvProdId()));
      m.put("isvSvn", Integer.toString(b.isvSvn()));
      m.put("attributes", Hex.encode(b.attributes()));
      m.put("miscSelect", Long.toString(b.miscSelect()));
      m.put("configId", Hex.encode(b.configId()));
      m.put("configSvn", Integer.toString(b.configSvn()));
      m.put("cpuSvn", Hex.encode(b.cpuSvn()));
      debug = b.debug();
    } else {
      TdReportBody t = q.tdBody();
      m.put("mrTd", Hex.encode(t.mrTd()));
      for (int i = 0; i < 4; i++) {
        m.put("rtmr" + i, Hex.encode(t.rtmrs()[i]));
      }
      m.put("mrConfigId", Hex.encode(t.mrConfigId()));
      m.put("mrOwner", Hex.encode(t.mrOwner()));
      m.put("mrOwnerConfig", Hex.encode(t.mrOwnerConfig()));
      m.put("mrSeam", Hex.encode(t.mrSeam()));
      m.put("mrSignerSeam", Hex.encode(t.mrSignerSeam()));
      m.put("seamAttributes", Hex.encode(t.seamAttributes()));
      m.put("tdAttributes", Hex.encode(t.tdAttributes()));
      m.put("xfam", Hex.encode(t.xfam()));
      m.put("teeTcbSvn", Hex.encode(t.teeTcbSvn()));
      if (t.v15()) {
        m.put("teeTcbSvn2", Hex.encode(t.teeTcbSvn2()));
        m.put("mrServiceTd", Hex.encode(t.mrServiceTd()));
      }
      debug = t.debug();
    }
    byte[] platformId = new byte[22];
    System.arraycopy(pck.ppid(), 0, platformId, 0, 16);
    System.arraycopy(pck.fmspc(), 0, platformId, 16, 6);
    return new Verified(
        tee,
        q.version(),
        tcb.status(),
        tcb.advisories(),
        Optional.of(tcb.qeStatus()),
        tcb.moduleStatus(),
        debug,
        m,
        q.reportData(),
        platformId);
  }
}
