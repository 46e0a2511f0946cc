package io.wetee.worker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;

/** Copies a bundle archive from its location to a local file, hashing it on the way. */
final class BundleFetcher {
  /*
   * Design notes: the bytes go to a fresh temporary file while SHA-256 is computed over exactly
   * those bytes; the size cap is checked against Content-Length up front (when sent) and against
   * the bytes actually received. The caller compares the digest before anything is unpacked, so a
   * partial, oversized or tampered download is never used. Redirects are followed except from
   * https to http (HttpClient.Redirect.NORMAL).
   */

  private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(5);

  private final HttpClient http;
  private final long maxBytes;

  BundleFetcher(HttpClient http, long maxBytes) {
    this.http = http;
    this.maxBytes = maxBytes;
  }

  /** Writes the archive at {@code location} to {@code target}; answers its SHA-256 in hex. */
  String fetch(URI location, Path target) throws BundleRejected {
    String scheme = location.getScheme().toLowerCase(Locale.ROOT);
    try {
      return scheme.equals("file")
          ? copyFile(Path.of(location), target)
          : download(location, target);
    } catch (NoSuchFileException e) {
      throw new BundleRejected(BundleRefusal.NOT_FOUND, "no file " + e.getFile());
    } catch (IOException e) {
      throw new BundleRejected(BundleRefusal.FETCH_FAILED, location + ": " + e);
    }
  }

  private String copyFile(Path source, Path target) throws IOException, BundleRejected {
    if (Files.size(source) > maxBytes) {
      throw tooLarge(Files.size(source));
    }
    try (InputStream in = Files.newInputStream(source)) {
      return copy(in, target);
    }
  }

  private String download(URI location, Path target) throws IOException, BundleRejected {
    HttpRequest request = HttpRequest.newBuilder(location).timeout(REQUEST_TIMEOUT).GET().build();
    HttpResponse<InputStream> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkerException("interrupted while fetching " + location, e);
    }
    try (InputStream body = response.body()) {
      if (response.statusCode() == 404) {
        throw new BundleRejected(BundleRefusal.NOT_FOUND, location + " answered 404");
      }
      if (response.statusCode() != 200) {
        throw new BundleRejected(
            BundleRefusal.FETCH_FAILED, location + " answered " + response.statusCode());
      }
      long declared = response.headers().firstValueAsLong("content-length").orElse(-1);
      if (declared > maxBytes) {
        throw tooLarge(declared);
      }
      return copy(body, target);
    }
  }

  private String copy(InputStream in, Path target) throws IOException, BundleRejected {
    MessageDigest sha256 = sha256();
    long total = 0;
    byte[] buffer = new byte[64 << 10];
    try (OutputStream out =
        new DigestOutputStream(
            Files.newOutputStream(target, StandardOpenOption.TRUNCATE_EXISTING), sha256)) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        total += n;
        if (total > maxBytes) {
          throw tooLarge(total);
        }
        out.write(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(sha256.digest());
  }

  private BundleRejected tooLarge(long size) {
    return new BundleRejected(
        BundleRefusal.TOO_LARGE, "archive of " + size + " bytes exceeds " + maxBytes);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new WorkerException("SHA-256 is not available", e);
    }
  }
}
