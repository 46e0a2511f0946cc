package io.wetee.attestation;

import com.fasterxml.jackson.databind.JsonNode;
import io.wetee.attestation.spi.CollateralRequest;
import io.wetee.attestation.spi.CollateralSource;
import io.wetee.common.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Collateral from a directory of Intel PCS v4 responses as separate files, recognised by content
 * (names do not matter): TCB info ({@code {"tcbInfo":..}}), QE identity ({@code
 * {"enclaveIdentity":..}}, id QE or TD_QE), DER CRLs (root or PCK CA, by issuer), PEM chains (TCB
 * signing chain, PCK CRL issuer chain, PCK certificate) and dcap-qvl collateral JSON. Files of any
 * other content are ignored. Several TCB infos are told apart by id and FMSPC.
 */
final class DirectoryCollateral implements CollateralSource {
  private final Map<String, byte[]> tcbInfos = new HashMap<>();
  private final Map<String, byte[]> qeIdentities = new HashMap<>();
  private final Map<String, byte[]> crls = new HashMap<>();
  private final Map<String, String> chains = new HashMap<>();
  private final List<DcapCollateral> bundles = new ArrayList<>();
  private final Map<CollateralRequest, Optional<DcapCollateral>> built = new ConcurrentHashMap<>();

  DirectoryCollateral(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.sorted().toList()) {
        if (Files.isRegularFile(f) && Files.size(f) < 4 << 20) {
          classify(Files.readAllBytes(f));
        }
      }
    } catch (IOException e) {
      throw new AttestationException("cannot read collateral directory " + dir, e);
    }
  }

  private void classify(byte[] b) {
    String head = new String(b, 0, Math.min(b.length, 64), StandardCharsets.ISO_8859_1).strip();
    if (head.startsWith("{")) {
      classifyJson(b);
    } else if (head.startsWith("-----BEGIN")) {
      classifyPem(b);
    } else if (b.length > 0 && b[0] == 0x30) {
      try {
        X509CRL crl = Certs.parseCrl(b, "crl");
        crls.put(crl.getIssuerX500Principal().getName(), b);
      } catch (EvidenceFormatException notACrl) {
        // Not collateral: ignored by design (quotes and other files may share the folder).
      }
    }
  }

  private void classifyJson(byte[] b) {
    try {
      JsonNode n = Json.lenient().readTree(b);
      if (n.has("tcbInfo")) {
        JsonNode t = n.get("tcbInfo");
        tcbInfos.put(
            t.path("id").asText("SGX") + "/" + t.path("fmspc").asText().toUpperCase(Locale.ROOT),
            b);
      } else if (n.has("enclaveIdentity")) {
        qeIdentities.put(n.get("enclaveIdentity").path("id").asText(), b);
      } else if (n.has("tcb_info")) {
        bundles.add(DcapCollateral.fromDcapQvlJson(b));
      }
    } catch (IOException | EvidenceFormatException e) {
      // Not collateral JSON: ignored.
    }
  }

  private void classifyPem(byte[] b) {
    try {
      List<X509Certificate> certs = Certs.parsePemChain(b, "pem");
      String text = new String(b, StandardCharsets.US_ASCII);
      String first = Certs.commonName(certs.get(0));
      if (certs.get(0).getExtensionValue(PckCert.SGX_EXT) != null) {
        chains.put("pck", text);
      } else if (first.contains("TCB Signing")) {
        chains.put("tcb", text);
      } else if (first.contains("PCK") && certs.size() > 1) {
        chains.put("pckIssuer", text);
      }
    } catch (EvidenceFormatException e) {
      // Not a certificate chain: ignored.
    }
  }

  @Override
  public Optional<DcapCollateral> collateral(CollateralRequest req) {
    return built.computeIfAbsent(req, this::build);
  }

  private Optional<DcapCollateral> build(CollateralRequest req) {
    if (!bundles.isEmpty()) {
      return Optional.of(bundles.get(0));
    }
    String id = req.teeType() == TeeType.TDX ? "TDX" : "SGX";
    byte[] tcb = tcbInfos.get(id + "/" + req.fmspc());
    if (tcb == null) {
      List<String> ofType = tcbInfos.keySet().stream().filter(k -> k.startsWith(id + "/")).toList();
      tcb = ofType.size() == 1 && req.fmspc().isEmpty() ? tcbInfos.get(ofType.get(0)) : null;
    }
    byte[] qe = qeIdentities.get(req.teeType() == TeeType.TDX ? "TD_QE" : "QE");
    byte[] rootCrl = crlFor("Root CA");
    byte[] pckCrl =
        crlFor(
            switch (req.pckCa()) {
              case "processor" -> "Processor CA";
              case "platform" -> "Platform CA";
              default -> "PCK";
            });
    String tcbChain = chains.get("tcb");
    if (tcb == null || qe == null || rootCrl == null || pckCrl == null || tcbChain == null) {
      return Optional.empty();
    }
    SignedJson.Part t = SignedJson.extract(tcb, "tcbInfo");
    SignedJson.Part q = SignedJson.extract(qe, "enclaveIdentity");
    String pck =
        chains.containsKey("pck") ? chains.get("pck") + chains.getOrDefault("pckIssuer", "") : "";
    return Optional.of(
        new DcapCollateral(
            chains.getOrDefault("pckIssuer", ""),
            rootCrl,
            pckCrl,
            tcbChain,
            t.body(),
            t.signature(),
            tcbChain,
            q.body(),
            q.signature(),
            pck));
  }

  private byte[] crlFor(String cnPart) {
    for (Map.Entry<String, byte[]> e : crls.entrySet()) {
      if (e.getKey().contains(cnPart)) {
        return e.getValue();
      }
    }
    return null;
  }
}
