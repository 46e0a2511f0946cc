package io.wetee.attestation;

import io.wetee.attestation.spi.VekRequest;
import io.wetee.attestation.spi.VekSource;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * VCEK certificates from the AMD Key Distribution Service, with a memory and an optional disk cache
 * (a VCEK is fixed for a chip and TCB, so entries never go stale), and an offline mode.
 *
 * <p>Design notes: AMD "VCEK Certificate and KDS Interface Specification" (57230) section 4.1:
 * {@code GET /vcek/v1/{product}/{hwid}?blSPL=&teeSPL=&snpSPL=&ucodeSPL=} with the hwid as hex (64
 * bytes; 8 bytes for Turin, which also takes {@code fmcSPL}) and the SPLs of REPORTED_TCB. VLEKs
 * are not served publicly and are never fetched. A report v2 does not name its product: the
 * configured default product is used.
 */
public final class KdsClient implements VekSource {
  /** AMD's KDS. */
  public static final URI AMD_KDS = URI.create("https://kdsintf.amd.com");

  private final URI base;
  private final String defaultProduct;
  private final Optional<Path> cacheDir;
  private final boolean offline;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final Map<String, byte[]> memory = new ConcurrentHashMap<>();

  /**
   * @param base KDS base URL ({@link #AMD_KDS})
   * @param defaultProduct product for reports that do not name one ("Milan", "Genoa", "Turin")
   * @param cacheDir optional directory for fetched certificates
   * @param offline cache only, never the network
   */
  public KdsClient(URI base, String defaultProduct, Optional<Path> cacheDir, boolean offline) {
    this.base = base;
    this.defaultProduct = defaultProduct;
    this.cacheDir = cacheDir;
    this.offline = offline;
  }

  /**
   * The KDS URL of the VCEK for a chip and reported TCB.
   *
   * @param product "Milan", "Genoa" or "Turin"
   * @param chipId the report's 64-byte chip_id
   * @param reportedTcb REPORTED_TCB as the little-endian u64 of the report
   */
  public static URI vcekUrl(URI base, String product, byte[] chipId, long reportedTcb) {
    boolean turin = product.equals("Turin");
    byte[] hw = turin ? java.util.Arrays.copyOf(chipId, 8) : chipId;
    int[] b = new int[8];
    for (int i = 0; i < 8; i++) {
      b[i] = (int) ((reportedTcb >>> (8 * i)) & 0xff);
    }
    String query =
        turin
            ? String.format(
                Locale.ROOT,
                "fmcSPL=%d&blSPL=%d&teeSPL=%d&snpSPL=%d&ucodeSPL=%d",
                b[0],
                b[1],
                b[2],
                b[3],
                b[7])
            : String.format(
                Locale.ROOT, "blSPL=%d&teeSPL=%d&snpSPL=%d&ucodeSPL=%d", b[0], b[1], b[6], b[7]);
    return base.resolve("/vcek/v1/" + product + "/" + io.wetee.common.Hex.encode(hw) + "?" + query);
  }

  @Override
  public Optional<byte[]> vek(VekRequest req) {
    String product = req.product().isEmpty() ? defaultProduct : req.product();
    if (req.vlek() || product.isEmpty()) {
      return Optional.empty();
    }
    URI url =
        vcekUrl(base, product, io.wetee.common.Hex.decode(req.chipIdHex()), req.reportedTcb());
    String key = String.format("vcek-%s-%s-%016x", product, req.chipIdHex(), req.reportedTcb());
    byte[] cached = memory.get(key);
    if (cached == null) {
      cached = readCache(key).orElse(null);
    }
    if (cached == null && !offline) {
      cached = fetch(url);
      writeCache(key, cached);
    }
    if (cached != null) {
      memory.put(key, cached);
    }
    return Optional.ofNullable(cached).map(byte[]::clone);
  }

  private byte[] fetch(URI url) {
    try {
      HttpResponse<byte[]> r =
          http.send(
              HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30)).GET().build(),
              HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() != 200) {
        throw new AttestationException("KDS answered " + r.statusCode() + " for " + url);
      }
      return r.body();
    } catch (IOException e) {
      throw new AttestationException("KDS request failed: " + url + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AttestationException("interrupted while fetching " + url, e);
    }
  }

  private Optional<byte[]> readCache(String key) {
    try {
      if (cacheDir.isPresent() && Files.isRegularFile(cacheDir.get().resolve(key + ".der"))) {
        return Optional.of(Files.readAllBytes(cacheDir.get().resolve(key + ".der")));
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private void writeCache(String key, byte[] der) {
    if (cacheDir.isEmpty()) {
      return;
    }
    try {
      Files.createDirectories(cacheDir.get());
      Files.write(cacheDir.get().resolve(key + ".der"), der);
    } catch (IOException e) {
      throw new AttestationException("cannot write VCEK cache in " + cacheDir.get(), e);
    }
  }
}
