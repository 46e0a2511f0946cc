package io.wetee.worker;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A program bundle named by where to fetch it and the SHA-256 of its bytes: {@code
 * file:///srv/app.tar.gz#sha256=<64 hex>} or {@code https://host/app.tar.gz#sha256=<64 hex>}. The
 * digest travels in the URI fragment, so the whole reference fits in a workload spec's {@code
 * image} string and is never sent to the server (HTTP clients drop fragments). The archive is a
 * gzip-compressed tar; see the module README for what it may contain.
 *
 * @param location where the archive is, without fragment ({@code file}, {@code http} or {@code
 *     https})
 * @param sha256 lower-case hex SHA-256 of the archive's bytes (compressed, as fetched)
 */
public record BundleRef(URI location, String sha256) {
  private static final Set<String> SCHEMES = Set.of("file", "http", "https");
  private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");
  private static final String DIGEST_PREFIX = "sha256=";

  public BundleRef {
    if (location == null || location.getScheme() == null || !SCHEMES.contains(scheme(location))) {
      throw new IllegalArgumentException("bundle location must be file:, http: or https:");
    }
    if (location.getRawFragment() != null) {
      throw new IllegalArgumentException("bundle location must not have a fragment");
    }
    if (location.getPath() == null || location.getPath().isEmpty()) {
      throw new IllegalArgumentException("bundle location needs a path: " + location);
    }
    if (sha256 == null || !HEX.matcher(sha256).matches()) {
      throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits");
    }
  }

  /** Whether {@code image} is meant as a bundle reference (a file, http or https URI). */
  public static boolean isBundle(String image) {
    int colon = image.indexOf(':');
    return colon > 0 && SCHEMES.contains(image.substring(0, colon).toLowerCase(Locale.ROOT));
  }

  /**
   * Parses {@code LOCATION#sha256=HEX}.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static BundleRef parse(String text) {
    int hash = text.lastIndexOf('#');
    if (hash < 0 || !text.startsWith(DIGEST_PREFIX, hash + 1)) {
      throw new IllegalArgumentException("bundle reference needs #sha256=<hex>: " + text);
    }
    try {
      URI location = new URI(text.substring(0, hash));
      String hex = text.substring(hash + 1 + DIGEST_PREFIX.length()).toLowerCase(Locale.ROOT);
      return new BundleRef(location, hex);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a URI: " + text, e);
    }
  }

  private static String scheme(URI uri) {
    return uri.getScheme().toLowerCase(Locale.ROOT);
  }

  /** The reference in its text form, {@code LOCATION#sha256=HEX}. */
  @Override
  public String toString() {
    return location + "#" + DIGEST_PREFIX + sha256;
  }
}
