package io.wetee.oci;

import io.wetee.common.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A client of the OCI distribution API v2 (pull and push), over {@code java.net.http}.
 *
 * <p>Every byte read by digest is verified: manifests before they are parsed, blobs as they are
 * streamed (size and sha256 at the end of the stream). Anonymous, Basic and bearer-token auth (the
 * token flow of the distribution spec, with optional Basic credentials at the token service). Plain
 * http for loopback registries and registries configured insecure, https otherwise. GET and HEAD
 * are retried on I/O errors, 5xx and 429. Thread-safe; one client may serve many pulls at once.
 */
public final class RegistryClient {
  /** The largest manifest or index we read (the distribution project's own limit). */
  public static final int MAX_MANIFEST_BYTES = 4 << 20;

  private final RegistryHttp http;
  private final RegistryPush push;
  private final Duration idleTimeout;

  private RegistryClient(RegistryHttp http, Duration idleTimeout) {
    this.http = http;
    this.push = new RegistryPush(http);
    this.idleTimeout = idleTimeout;
  }

  /**
   * A client with default settings: 10 s connect timeout, 60 s until response headers, 60 s without
   * data in a blob body, 3 attempts.
   */
  public static RegistryClient create() {
    return builder().build();
  }

  /** Starts configuring a client. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The digest a reference names now: its pinned digest, or what the registry says its tag points
   * to (for the CLI, to pin a tag before deploying). Trust on first use: the registry's answer
   * becomes the pin, and every later pull verifies bytes against it.
   */
  public String resolve(ImageRef ref) {
    if (ref.isPinned()) {
      return ref.digest().orElseThrow();
    }
    String path = manifestPath(ref, ref.manifestReference());
    try (var response = closeable(http.send(request(ref, "HEAD", path, Map.of())))) {
      check(response.value(), "manifest " + ref);
      Optional<String> digest = response.value().headers().firstValue("Docker-Content-Digest");
      if (digest.isPresent() && Digests.isValid(digest.get())) {
        return digest.get();
      }
    }
    // No digest header: fetch the document and hash it ourselves.
    HttpResponse<InputStream> response = http.send(request(ref, "GET", path, Map.of()));
    check(response, "manifest " + ref);
    return Digests.of(readBounded(response, "manifest " + ref));
  }

  /**
   * The linux/amd64 image manifest of a pinned reference; an index (or Docker manifest list) is
   * followed to its linux/amd64 entry. Both documents are verified against their digests.
   *
   * @throws OciException {@code unpinned-reference}, {@code not-found}, {@code digest-mismatch},
   *     {@code no-platform}, {@code unsupported-media-type}, {@code unauthorized}, ...
   */
  public ImageManifest manifest(ImageRef pinned) {
    String digest = requirePinned(pinned);
    ManifestDocument document = fetchManifest(pinned, digest);
    Manifests.Parsed parsed = document.parse();
    if (parsed instanceof Manifests.Index index) {
      ManifestDocument child = fetchManifest(pinned, index.chosen().digest());
      if (!(child.parse() instanceof Manifests.Image image)) {
        throw new OciException(
            OciException.Reason.UNSUPPORTED_MEDIA_TYPE,
            "index " + digest + " points to another index for linux/amd64");
      }
      return new ImageManifest(
          child.digest(), image.mediaType(), image.config(), image.layers(), Optional.of(digest));
    }
    Manifests.Image image = (Manifests.Image) parsed;
    return new ImageManifest(
        digest, image.mediaType(), image.config(), image.layers(), Optional.empty());
  }

  /** One manifest document by digest, verified, not interpreted. */
  public ManifestDocument fetchManifest(ImageRef repo, String digest) {
    Digests.require(digest, "manifest reference");
    String what = "manifest " + repo.registry() + "/" + repo.repository() + "@" + digest;
    HttpResponse<InputStream> response =
        http.send(request(repo, "GET", manifestPath(repo, digest), Map.of()));
    check(response, what);
    byte[] bytes = readBounded(response, what);
    Digests.verify(bytes, digest, what);
    String contentType = response.headers().firstValue("Content-Type").orElse("");
    return new ManifestDocument(digest, contentType, bytes);
  }

  /**
   * Streams a blob; the stream verifies the size and sha256 of {@code blob} at its end (a mismatch
   * is thrown by the final read as {@code digest-mismatch}). The caller closes it.
   */
  public InputStream blob(ImageRef repo, Descriptor blob) {
    String what = "blob " + repo.registry() + "/" + repo.repository() + "@" + blob.digest();
    HttpResponse<InputStream> response =
        http.send(
            request(repo, "GET", "/v2/" + repo.repository() + "/blobs/" + blob.digest(), Map.of()));
    check(response, what);
    long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
    if (declared >= 0 && declared != blob.size()) {
      close(response);
      throw new OciException(
          OciException.Reason.DIGEST_MISMATCH,
          what + " is " + declared + " bytes, the manifest says " + blob.size());
    }
    return new VerifyingInputStream(
        new IdleTimeoutInputStream(response.body(), idleTimeout, what),
        blob.digest(),
        blob.size(),
        what);
  }

  /** Whether the repository already has the blob (HEAD). */
  public boolean hasBlob(ImageRef repo, String digest) {
    return push.hasBlob(repo, digest);
  }

  /**
   * Uploads {@code content} as one blob (monolithic PUT) unless present; returns its descriptor.
   */
  public Descriptor pushBlob(ImageRef repo, String mediaType, byte[] content) {
    return push.blob(repo, mediaType, content);
  }

  /**
   * Uploads a file as one blob unless present, in PATCH chunks of {@code chunkBytes} (monolithic
   * PUT when the file fits in one chunk); returns its descriptor.
   */
  public Descriptor pushBlob(ImageRef repo, String mediaType, Path file, int chunkBytes) {
    return push.blob(repo, mediaType, file, chunkBytes);
  }

  /**
   * Uploads a manifest or index under the reference's tag (or its digest when it has no tag);
   * returns the document's digest.
   */
  public String pushManifest(ImageRef ref, String mediaType, byte[] document) {
    return push.manifest(ref, mediaType, document);
  }

  private static String requirePinned(ImageRef ref) {
    return ref.digest()
        .orElseThrow(
            () ->
                new OciException(
                    OciException.Reason.UNPINNED,
                    ref + " has no digest: pin it as " + ref + "@sha256:<digest>"));
  }

  private static String manifestPath(ImageRef repo, String reference) {
    return "/v2/" + repo.repository() + "/manifests/" + reference;
  }

  private static RegistryHttp.Request request(
      ImageRef repo, String method, String path, Map<String, String> headers) {
    Map<String, String> all = new HashMap<>(headers);
    if (path.contains("/manifests/")) {
      all.put("Accept", Manifests.ACCEPT);
    }
    return new RegistryHttp.Request(
        repo.registry(),
        repo.repository(),
        method,
        path,
        Map.copyOf(all),
        HttpRequest.BodyPublishers.noBody(),
        false);
  }

  /** Maps an unsuccessful status to its fault (closing the body); 2xx passes. */
  static void check(HttpResponse<InputStream> response, String what) {
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return;
    }
    String detail = errorBody(response);
    OciException.Reason reason =
        switch (status) {
          case 404 -> OciException.Reason.NOT_FOUND;
          case 401, 403 -> OciException.Reason.UNAUTHORIZED;
          default -> OciException.Reason.REGISTRY_ERROR;
        };
    throw new OciException(reason, what + ": HTTP " + status + detail);
  }

  private static String errorBody(HttpResponse<InputStream> response) {
    try (InputStream body = response.body()) {
      byte[] head = body.readNBytes(512);
      String text = new String(head, StandardCharsets.UTF_8).strip();
      return text.isEmpty() ? "" : " " + text;
    } catch (IOException e) {
      return "";
    }
  }

  private static byte[] readBounded(HttpResponse<InputStream> response, String what) {
    try (InputStream body = response.body()) {
      byte[] bytes = body.readNBytes(MAX_MANIFEST_BYTES + 1);
      if (bytes.length > MAX_MANIFEST_BYTES) {
        throw new OciException(
            OciException.Reason.TOO_LARGE, what + " is larger than " + MAX_MANIFEST_BYTES);
      }
      return bytes;
    } catch (IOException e) {
      throw new OciException(OciException.Reason.REGISTRY_ERROR, "reading " + what + ": " + e, e);
    }
  }

  static void close(HttpResponse<InputStream> response) {
    try {
      response.body().close();
    } catch (IOException e) {
      // nothing to do: the connection is dropped
    }
  }

  private record Closing(HttpResponse<InputStream> value) implements AutoCloseable {
    @Override
    public void close() {
      RegistryClient.close(value);
    }
  }

  private static Closing closeable(HttpResponse<InputStream> response) {
    return new Closing(response);
  }

  /**
   * A raw manifest document verified against its digest.
   *
   * @param digest the document's digest
   * @param contentType the registry's Content-Type (used when the document has no mediaType)
   * @param bytes the exact bytes
   */
  @SuppressWarnings("ArrayRecordComponent") // copied in and out
  public record ManifestDocument(String digest, String contentType, byte[] bytes) {
    /** Copies the bytes. */
    public ManifestDocument {
      bytes = bytes.clone();
    }

    /** A copy of the document's bytes. */
    @Override
    public byte[] bytes() {
      return bytes.clone();
    }

    Manifests.Parsed parse() {
      return Manifests.parse(bytes, contentType, digest);
    }
  }

  /** Settings of a {@link RegistryClient}. Not thread-safe; build once. */
  public static final class Builder {
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(60);
    private Duration idleTimeout = Duration.ofSeconds(60);
    private int attempts = 3;
    private final Set<String> insecure = new HashSet<>();
    private final Map<String, RegistryHttp.Credentials> credentials = new HashMap<>();

    private Builder() {}

    /** Timeout for opening a connection. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = timeout;
      return this;
    }

    /** Timeout until a response's headers arrive. */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = timeout;
      return this;
    }

    /** How long a blob body may deliver no bytes before the pull fails. */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = timeout;
      return this;
    }

    /** How many times GET and HEAD are tried (at least 1). */
    public Builder attempts(int attempts) {
      this.attempts = attempts;
      return this;
    }

    /** Allows plain http to {@code registry} ({@code host:port}); loopback always may. */
    public Builder insecure(String registry) {
      insecure.add(registry);
      return this;
    }

    /** Basic credentials for {@code registry}, sent to it or to its token service. */
    public Builder credentials(String registry, String username, Secret password) {
      credentials.put(registry, new RegistryHttp.Credentials(username, password));
      return this;
    }

    /** The client. */
    public RegistryClient build() {
      return new RegistryClient(
          new RegistryHttp(connectTimeout, requestTimeout, attempts, insecure, credentials),
          idleTimeout);
    }
  }
}
