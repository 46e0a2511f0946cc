package io.wetee.oci;

import com.fasterxml.jackson.databind.JsonNode;
import io.wetee.common.Json;
import io.wetee.common.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Sends registry requests: scheme choice, auth challenges and tokens, redirects, retries. */
final class RegistryHttp {
  /*
   * Design notes: the distribution spec's token flow (docs/spec/auth/token.md): a 401 carries
   * WWW-Authenticate: Bearer realm, service, scope; we GET realm?service&scope (with Basic
   * credentials when configured for the registry) and retry with the token, cached per registry,
   * repository and actions. Redirects are followed here, not by HttpClient, so that the
   * Authorization header never goes to another host (blob storage behind a CDN) and https never
   * downgrades to http. Plain http only for loopback hosts and registries configured insecure; a
   * token realm on plain http to a non-loopback host is refused (it would carry credentials in
   * clear). Only GET and HEAD are retried (on I/O errors, 5xx and 429), with exponential backoff.
   */

  /** Basic credentials for one registry. */
  record Credentials(String username, Secret password) {}

  /** One request: {@code target} is a path from the registry root or an absolute URL. */
  record Request(
      String registry,
      String repository,
      String method,
      String target,
      Map<String, String> headers,
      HttpRequest.BodyPublisher body,
      boolean push) {
    boolean idempotent() {
      return method.equals("GET") || method.equals("HEAD");
    }
  }

  private static final int MAX_REDIRECTS = 5;

  private final HttpClient http;
  private final Duration requestTimeout;
  private final int attempts;
  private final Set<String> insecure;
  private final Map<String, Credentials> credentials;
  private final Map<String, String> authorizations = new ConcurrentHashMap<>();

  RegistryHttp(
      Duration connectTimeout,
      Duration requestTimeout,
      int attempts,
      Set<String> insecure,
      Map<String, Credentials> credentials) {
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    this.requestTimeout = requestTimeout;
    this.attempts = Math.max(1, attempts);
    this.insecure = Set.copyOf(insecure);
    this.credentials = Map.copyOf(credentials);
  }

  /** The base URL of {@code registry}: http for loopback and insecure registries, else https. */
  String base(String registry) {
    return (isPlainHttpAllowed(registry) ? "http://" : "https://") + endpoint(registry);
  }

  /** The host serving the API of {@code registry}: Docker Hub's name differs from its API host. */
  static String endpoint(String registry) {
    return registry.equals(ImageRef.DOCKER_HUB) ? "registry-1.docker.io" : registry;
  }

  private boolean isPlainHttpAllowed(String hostPort) {
    if (insecure.contains(hostPort)) {
      return true;
    }
    String host = hostOf(hostPort);
    return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
  }

  private static String hostOf(String hostPort) {
    if (hostPort.startsWith("[")) {
      return hostPort.substring(0, hostPort.indexOf(']') + 1);
    }
    int colon = hostPort.indexOf(':');
    return colon < 0 ? hostPort : hostPort.substring(0, colon);
  }

  /**
   * Sends {@code request}, answering one auth challenge and following redirects; the caller closes
   * the body. Statuses other than 401 are returned as they are.
   */
  HttpResponse<InputStream> send(Request request) {
    URI uri =
        request.target().startsWith("http://") || request.target().startsWith("https://")
            ? URI.create(request.target())
            : URI.create(base(request.registry()) + request.target());
    String key =
        request.registry() + "|" + request.repository() + "|" + (request.push() ? "push" : "pull");
    int tries = request.idempotent() ? attempts : 1;
    for (int attempt = 1; ; attempt++) {
      try {
        HttpResponse<InputStream> response = exchange(request, uri, authorizations.get(key));
        if (response.statusCode() == 401) {
          response.body().close();
          String authorization = authorize(request, response);
          authorizations.put(key, authorization);
          response = exchange(request, uri, authorization);
          if (response.statusCode() == 401) {
            response.body().close();
            throw new OciException(
                OciException.Reason.UNAUTHORIZED,
                request.registry() + " refused the credentials for " + request.repository());
          }
        }
        int status = response.statusCode();
        if ((status >= 500 || status == 429) && attempt < tries) {
          response.body().close();
          backoff(attempt);
          continue;
        }
        return response;
      } catch (IOException e) {
        if (attempt >= tries) {
          throw new OciException(
              OciException.Reason.REGISTRY_ERROR,
              request.method() + " " + uri + " failed after " + attempt + " attempt(s): " + e,
              e);
        }
        backoff(attempt);
      }
    }
  }

  private HttpResponse<InputStream> exchange(Request request, URI uri, String authorization)
      throws IOException {
    URI current = uri;
    String method = request.method();
    HttpRequest.BodyPublisher body = request.body();
    for (int hop = 0; ; hop++) {
      HttpRequest.Builder builder =
          HttpRequest.newBuilder(current).timeout(requestTimeout).method(method, body);
      request.headers().forEach(builder::header);
      // Credentials go to the registry itself only, never to storage it redirects to.
      if (authorization != null && current.getRawAuthority().equals(endpoint(request.registry()))) {
        builder.header("Authorization", authorization);
      }
      HttpResponse<InputStream> response;
      try {
        response = http.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new OciException(OciException.Reason.REGISTRY_ERROR, "interrupted", e);
      }
      int status = response.statusCode();
      Optional<String> location = response.headers().firstValue("Location");
      boolean redirect = status == 301 || status == 302 || status == 303 || status == 307;
      if (!(redirect || status == 308) || location.isEmpty() || !request.idempotent()) {
        return response;
      }
      response.body().close();
      if (hop >= MAX_REDIRECTS) {
        throw new OciException(
            OciException.Reason.REGISTRY_ERROR, "more than " + MAX_REDIRECTS + " redirects");
      }
      URI next = current.resolve(location.get());
      if (current.getScheme().equals("https")
          && !next.getScheme().equals("https")
          && !isPlainHttpAllowed(next.getRawAuthority())) {
        throw new OciException(
            OciException.Reason.REGISTRY_ERROR, "refusing a redirect from https to " + next);
      }
      current = next;
    }
  }

  /** The Authorization header value answering the 401's challenge. */
  private String authorize(Request request, HttpResponse<InputStream> response) {
    Challenge challenge =
        Challenge.first(response.headers().allValues("WWW-Authenticate"))
            .orElseThrow(
                () ->
                    new OciException(
                        OciException.Reason.UNAUTHORIZED,
                        request.registry() + " answered 401 without a challenge"));
    Credentials creds = credentials.get(request.registry());
    return switch (challenge.scheme()) {
      case "basic" -> {
        if (creds == null) {
          throw new OciException(
              OciException.Reason.UNAUTHORIZED,
              request.registry() + " requires credentials and none are configured");
        }
        yield basic(creds);
      }
      case "bearer" -> "Bearer " + token(request, challenge, creds);
      default ->
          throw new OciException(
              OciException.Reason.UNAUTHORIZED,
              request.registry() + " asks for unsupported auth scheme " + challenge.scheme());
    };
  }

  private String token(Request request, Challenge challenge, Credentials creds) {
    String realm = challenge.params().getOrDefault("realm", "");
    URI realmUri;
    try {
      realmUri = URI.create(realm);
    } catch (IllegalArgumentException e) {
      realmUri = null;
    }
    if (realmUri == null || realmUri.getScheme() == null || realmUri.getRawAuthority() == null) {
      throw new OciException(
          OciException.Reason.UNAUTHORIZED, "bearer challenge with invalid realm '" + realm + "'");
    }
    if (!realmUri.getScheme().equals("https")
        && !(realmUri.getScheme().equals("http")
            && isPlainHttpAllowed(realmUri.getRawAuthority()))) {
      throw new OciException(
          OciException.Reason.UNAUTHORIZED, "refusing a token realm over plain http: " + realm);
    }
    String scope =
        challenge
            .params()
            .getOrDefault(
                "scope",
                "repository:"
                    + request.repository()
                    + ":"
                    + (request.push() ? "pull,push" : "pull"));
    StringBuilder query = new StringBuilder();
    if (challenge.params().containsKey("service")) {
      query.append("service=").append(encode(challenge.params().get("service")));
    }
    for (String s : scope.split(" ")) {
      query.append(query.isEmpty() ? "" : "&").append("scope=").append(encode(s));
    }
    String separator = realm.contains("?") ? "&" : "?";
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(realm + separator + query)).timeout(requestTimeout).GET();
    if (creds != null) {
      builder.header("Authorization", basic(creds));
    }
    HttpResponse<byte[]> response;
    try {
      response = http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new OciException(
          OciException.Reason.REGISTRY_ERROR, "token service " + realm + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OciException(OciException.Reason.REGISTRY_ERROR, "interrupted", e);
    }
    if (response.statusCode() == 401 || response.statusCode() == 403) {
      throw new OciException(
          OciException.Reason.UNAUTHORIZED,
          "token service "
              + realm
              + " refused "
              + (creds == null ? "anonymous access" : "the credentials of " + creds.username())
              + " for "
              + scope);
    }
    if (response.statusCode() != 200) {
      throw new OciException(
          OciException.Reason.REGISTRY_ERROR,
          "token service " + realm + " answered " + response.statusCode());
    }
    return parseToken(response.body(), realm);
  }

  private static String parseToken(byte[] body, String realm) {
    try {
      JsonNode node = Json.lenient().readTree(body);
      for (String field : List.of("token", "access_token")) {
        if (node != null && node.path(field).isTextual() && !node.path(field).asText().isEmpty()) {
          return node.path(field).asText();
        }
      }
    } catch (IOException e) {
      // fall through to the fault below
    }
    throw new OciException(
        OciException.Reason.UNAUTHORIZED, "token service " + realm + " returned no token");
  }

  private static String basic(Credentials creds) {
    char[] password = creds.password().reveal();
    String pair = creds.username() + ":" + new String(password);
    java.util.Arrays.fill(password, '\0');
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static void backoff(int attempt) {
    try {
      Thread.sleep(200L << Math.min(attempt - 1, 5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OciException(OciException.Reason.REGISTRY_ERROR, "interrupted", e);
    }
  }
}
