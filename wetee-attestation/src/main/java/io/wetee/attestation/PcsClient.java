package io.wetee.attestation;

import com.fasterxml.jackson.databind.JsonNode;
import io.wetee.attestation.spi.CollateralRequest;
import io.wetee.attestation.spi.CollateralSource;
import io.wetee.common.Hex;
import io.wetee.common.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * DCAP collateral from Intel PCS or a PCCS, with an in-memory and an on-disk cache, freshness
 * checks, and a fully offline mode (cache only, never the network).
 *
 * <p>Design notes: Intel PCS API v4: {@code GET /sgx/certification/v4/pckcrl?ca=platform|processor
 * &encoding=der} (issuer chain in header {@code SGX-PCK-CRL-Issuer-Chain}), {@code GET
 * /{sgx|tdx}/certification/v4/tcb?fmspc=} ({@code TCB-Info-Issuer-Chain}), {@code GET
 * /{sgx|tdx}/certification/v4/qe/identity} ({@code SGX-Enclave-Identity-Issuer-Chain}); headers
 * carry URL-encoded PEM. The root CA CRL comes from its own URL (Intel's certificate site, or a
 * PCCS {@code /rootcacrl}); DER, PEM or hex bodies are accepted. A collateral set is fresh until
 * the earliest nextUpdate of its TCB info, QE identity and CRLs (minus a margin); a stale set is
 * refetched when online and still returned when offline (the verifier then rejects it as expired if
 * it is expired at the verification time). Thread-safe; returns the same instance while fresh.
 */
public final class PcsClient implements CollateralSource {
  /** Intel's production PCS. */
  public static final URI INTEL_PCS = URI.create("https://api.trustedservices.intel.com");

  /** Intel's root CA CRL. */
  public static final URI INTEL_ROOT_CRL =
      URI.create("https://certificates.trustedservices.intel.com/IntelSGXRootCA.der");

  private final URI base;
  private final URI rootCrl;
  private final Optional<Path> cacheDir;
  private final boolean offline;
  private final Clock clock;
  private final Duration margin;
  private final HttpClient http;
  private final Map<String, Entry> memory = new ConcurrentHashMap<>();

  private record Entry(DcapCollateral collateral, Instant freshUntil) {}

  private PcsClient(Builder b) {
    this.base = b.base;
    this.rootCrl = b.rootCrl;
    this.cacheDir = b.cacheDir;
    this.offline = b.offline;
    this.clock = b.clock;
    this.margin = b.margin;
    this.http = HttpClient.newBuilder().connectTimeout(b.timeout).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Optional<DcapCollateral> collateral(CollateralRequest req) {
    if (req.fmspc().isEmpty() || req.pckCa().isEmpty()) {
      return Optional.empty(); // PCS serves collateral by FMSPC and CA: type-5 quotes only
    }
    String key = key(req);
    Instant now = clock.instant();
    Entry e = memory.get(key);
    if (e == null) {
      e = readCache(key).orElse(null);
    }
    if (e != null && (offline || now.isBefore(e.freshUntil()))) {
      memory.put(key, e);
      return Optional.of(e.collateral());
    }
    if (offline) {
      return Optional.empty();
    }
    Optional<DcapCollateral> fetched = fetch(req);
    fetched.ifPresent(
        c -> {
          Entry fresh = new Entry(c, freshUntil(c));
          memory.put(key, fresh);
          writeCache(key, c);
        });
    return fetched;
  }

  private static String key(CollateralRequest req) {
    return req.teeType().name().toLowerCase(Locale.ROOT)
        + "-"
        + req.fmspc().toUpperCase(Locale.ROOT)
        + "-"
        + req.pckCa();
  }

  private Optional<DcapCollateral> fetch(CollateralRequest req) {
    String tee = req.teeType() == TeeType.TDX ? "tdx" : "sgx";
    Response tcb = get(base.resolve("/" + tee + "/certification/v4/tcb?fmspc=" + req.fmspc()));
    if (tcb.status() == 404) {
      return Optional.empty();
    }
    Response qe = get(base.resolve("/" + tee + "/certification/v4/qe/identity"));
    Response crl =
        get(base.resolve("/sgx/certification/v4/pckcrl?ca=" + req.pckCa() + "&encoding=der"));
    Response root = get(rootCrl);
    for (Response r : new Response[] {tcb, qe, crl, root}) {
      if (r.status() != 200) {
        throw new AttestationException("PCS answered " + r.status() + " for " + r.uri());
      }
    }
    SignedJson.Part t = SignedJson.extract(tcb.body(), "tcbInfo");
    SignedJson.Part q = SignedJson.extract(qe.body(), "enclaveIdentity");
    return Optional.of(
        new DcapCollateral(
            header(crl, "SGX-PCK-CRL-Issuer-Chain"),
            der(root.body()),
            der(crl.body()),
            header(tcb, "TCB-Info-Issuer-Chain", "SGX-TCB-Info-Issuer-Chain"),
            t.body(),
            t.signature(),
            header(qe, "SGX-Enclave-Identity-Issuer-Chain"),
            q.body(),
            q.signature(),
            ""));
  }

  @SuppressWarnings("ArrayRecordComponent") // internal value
  private record Response(URI uri, int status, byte[] body, java.net.http.HttpHeaders headers) {}

  private Response get(URI uri) {
    HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build();
    try {
      HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
      return new Response(uri, r.statusCode(), r.body(), r.headers());
    } catch (IOException e) {
      throw new AttestationException("PCS request failed: " + uri + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AttestationException("interrupted while fetching " + uri, e);
    }
  }

  private static String header(Response r, String... names) {
    for (String n : names) {
      Optional<String> v = r.headers().firstValue(n);
      if (v.isPresent()) {
        return URLDecoder.decode(v.get(), StandardCharsets.UTF_8);
      }
    }
    throw new AttestationException("PCS response " + r.uri() + " lacks header " + names[0]);
  }

  /** DER as is; PEM ("-----BEGIN X509 CRL-----") or hex text decoded. */
  static byte[] der(byte[] body) {
    String text = new String(body, StandardCharsets.ISO_8859_1).strip();
    if (text.startsWith("-----BEGIN")) {
      String b64 = text.replaceAll("-----[A-Z0-9 ]+-----", "").replaceAll("\\s", "");
      return java.util.Base64.getDecoder().decode(b64);
    }
    if (!text.isEmpty() && text.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      return Hex.decode(text);
    }
    return body;
  }

  private Instant freshUntil(DcapCollateral c) {
    try {
      Instant min = Instant.MAX;
      for (byte[] json : new byte[][] {c.tcbInfo(), c.qeIdentity()}) {
        JsonNode n = Json.lenient().readTree(json);
        min = earliest(min, Instant.parse(n.path("nextUpdate").asText()));
      }
      for (byte[] crl : new byte[][] {c.rootCaCrl(), c.pckCrl()}) {
        java.util.Date next = Certs.parseCrl(crl, "crl").getNextUpdate();
        min = next == null ? min : earliest(min, next.toInstant());
      }
      return min.minus(margin);
    } catch (IOException | RuntimeException e) {
      return Instant.MIN; // unparseable: never fresh (the verifier will say why)
    }
  }

  private static Instant earliest(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  private Optional<Entry> readCache(String key) {
    if (cacheDir.isEmpty()) {
      return Optional.empty();
    }
    Path f = cacheDir.get().resolve(key + ".json");
    try {
      if (!Files.isRegularFile(f)) {
        return Optional.empty();
      }
      DcapCollateral c = DcapCollateral.fromDcapQvlJson(Files.readAllBytes(f));
      return Optional.of(new Entry(c, freshUntil(c)));
    } catch (IOException | EvidenceFormatException e) {
      return Optional.empty(); // a corrupt cache file is treated as a miss
    }
  }

  private void writeCache(String key, DcapCollateral c) {
    if (cacheDir.isEmpty()) {
      return;
    }
    try {
      Path dir = Files.createDirectories(cacheDir.get());
      Path tmp = Files.createTempFile(dir, key, ".tmp");
      Files.write(tmp, c.toDcapQvlJson());
      Files.move(
          tmp,
          dir.resolve(key + ".json"),
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new AttestationException("cannot write collateral cache in " + cacheDir.get(), e);
    }
  }

  /** Settings of a {@link PcsClient}. */
  public static final class Builder {
    private URI base = INTEL_PCS;
    private URI rootCrl = INTEL_ROOT_CRL;
    private Optional<Path> cacheDir = Optional.empty();
    private boolean offline;
    private Clock clock = Clock.systemUTC();
    private Duration margin = Duration.ofMinutes(5);
    private Duration timeout = Duration.ofSeconds(10);

    private Builder() {}

    /** PCS or PCCS base URL (default Intel PCS). */
    public Builder baseUrl(URI base) {
      this.base = base;
      return this;
    }

    /** Where the root CA CRL is fetched (default Intel's certificate site). */
    public Builder rootCrlUrl(URI url) {
      this.rootCrl = url;
      return this;
    }

    /** On-disk cache directory (default none). */
    public Builder cacheDir(Path dir) {
      this.cacheDir = Optional.of(dir);
      return this;
    }

    /** Cache only; never the network (default false). */
    public Builder offline(boolean offline) {
      this.offline = offline;
      return this;
    }

    /** Clock for freshness (default system UTC). */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** Refetch this long before the earliest nextUpdate (default 5 minutes). */
    public Builder refreshMargin(Duration margin) {
      this.margin = margin;
      return this;
    }

    /** Connect timeout (default 10 s). */
    public Builder connectTimeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    public PcsClient build() {
      return new PcsClient(this);
    }
  }
}
