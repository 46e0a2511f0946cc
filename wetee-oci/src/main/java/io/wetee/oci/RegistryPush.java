package io.wetee.oci;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;

/** The push side of the distribution API: blob uploads (monolithic or chunked) and manifests. */
final class RegistryPush {
  /*
   * Design notes: distribution spec "Pushing blobs": POST /v2/<name>/blobs/uploads/ opens a
   * session whose Location is used for PATCH chunks (Content-Range start-end, inclusive) and a
   * closing PUT ?digest=. Every answer may move the session, so each Location replaces the last.
   * A blob the repository already has is not uploaded again.
   */
  private static final String OCTETS = "application/octet-stream";

  private final RegistryHttp http;

  RegistryPush(RegistryHttp http) {
    this.http = http;
  }

  boolean hasBlob(ImageRef repo, String digest) {
    HttpResponse<InputStream> response =
        http.send(
            request(repo, "HEAD", "/v2/" + repo.repository() + "/blobs/" + digest, Map.of(), null));
    RegistryClient.close(response);
    if (response.statusCode() == 404) {
      return false;
    }
    RegistryClient.check(response, "blob " + digest);
    return true;
  }

  Descriptor blob(ImageRef repo, String mediaType, byte[] content) {
    String digest = Digests.of(content);
    if (!hasBlob(repo, digest)) {
      String location = open(repo);
      finish(repo, location, digest, HttpRequest.BodyPublishers.ofByteArray(content));
    }
    return new Descriptor(mediaType, digest, content.length);
  }

  Descriptor blob(ImageRef repo, String mediaType, Path file, int chunkBytes) {
    try {
      long size = Files.size(file);
      String digest = digestOf(file);
      if (hasBlob(repo, digest)) {
        return new Descriptor(mediaType, digest, size);
      }
      String location = open(repo);
      if (size <= chunkBytes) {
        finish(repo, location, digest, HttpRequest.BodyPublishers.ofFile(file));
        return new Descriptor(mediaType, digest, size);
      }
      try (InputStream in = Files.newInputStream(file)) {
        long offset = 0;
        for (byte[] chunk = in.readNBytes(chunkBytes);
            chunk.length > 0;
            chunk = in.readNBytes(chunkBytes)) {
          String range = offset + "-" + (offset + chunk.length - 1);
          HttpResponse<InputStream> response =
              http.send(
                  request(
                      repo,
                      "PATCH",
                      location,
                      Map.of("Content-Type", OCTETS, "Content-Range", range),
                      HttpRequest.BodyPublishers.ofByteArray(chunk)));
          RegistryClient.check(response, "upload chunk " + range + " of " + digest);
          RegistryClient.close(response);
          location = location(response, location);
          offset += chunk.length;
        }
      }
      finish(repo, location, digest, HttpRequest.BodyPublishers.noBody());
      return new Descriptor(mediaType, digest, size);
    } catch (IOException e) {
      throw new OciException(OciException.Reason.IO_ERROR, "reading " + file + ": " + e, e);
    }
  }

  String manifest(ImageRef ref, String mediaType, byte[] document) {
    String digest = Digests.of(document);
    String reference = ref.tag().orElse(digest);
    HttpResponse<InputStream> response =
        http.send(
            request(
                ref,
                "PUT",
                "/v2/" + ref.repository() + "/manifests/" + reference,
                Map.of("Content-Type", mediaType),
                HttpRequest.BodyPublishers.ofByteArray(document)));
    RegistryClient.check(response, "manifest push " + ref);
    RegistryClient.close(response);
    String answered = response.headers().firstValue("Docker-Content-Digest").orElse(digest);
    if (!answered.equals(digest)) {
      throw new OciException(
          OciException.Reason.DIGEST_MISMATCH,
          "registry stored manifest as " + answered + ", we sent " + digest);
    }
    return digest;
  }

  private String open(ImageRef repo) {
    HttpResponse<InputStream> response =
        http.send(
            request(
                repo,
                "POST",
                "/v2/" + repo.repository() + "/blobs/uploads/",
                Map.of(),
                HttpRequest.BodyPublishers.noBody()));
    RegistryClient.check(response, "upload to " + repo.repository());
    RegistryClient.close(response);
    String base = http.base(repo.registry()) + "/";
    return location(response, base);
  }

  private void finish(
      ImageRef repo, String location, String digest, HttpRequest.BodyPublisher body) {
    String url = location + (location.contains("?") ? "&" : "?") + "digest=" + digest;
    HttpResponse<InputStream> response =
        http.send(request(repo, "PUT", url, Map.of("Content-Type", OCTETS), body));
    RegistryClient.check(response, "upload of " + digest);
    RegistryClient.close(response);
  }

  /** The absolute upload URL an answer points to, resolved against the previous one. */
  private static String location(HttpResponse<InputStream> response, String previous) {
    String location =
        response
            .headers()
            .firstValue("Location")
            .orElseThrow(
                () ->
                    new OciException(
                        OciException.Reason.REGISTRY_ERROR, "upload answer without Location"));
    return URI.create(previous).resolve(location).toString();
  }

  private static String digestOf(Path file) throws IOException {
    MessageDigest sha256 = Digests.sha256();
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        sha256.update(buffer, 0, n);
      }
    }
    return "sha256:" + io.wetee.common.Hex.encode(sha256.digest());
  }

  private static RegistryHttp.Request request(
      ImageRef repo,
      String method,
      String target,
      Map<String, String> headers,
      HttpRequest.BodyPublisher body) {
    return new RegistryHttp.Request(
        repo.registry(),
        repo.repository(),
        method,
        target,
        headers,
        body == null ? HttpRequest.BodyPublishers.noBody() : body,
        true);
  }
}
