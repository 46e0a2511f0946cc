package io.wetee.worker.proxy;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/** Which headers cross the proxy (RFC 9110 section 7.6.1, hop-by-hop fields). */
final class Headers {
  /*
   * Design notes: hop-by-hop fields describe one connection and are never forwarded: the fixed
   * list of RFC 9110 plus every field the Connection header names. Content-Length and Host are
   * not forwarded as such either: each side's HTTP stack writes its own framing (length or
   * chunked) and the backend request's Host is the backend's; the client's Host travels in
   * X-Forwarded-Host. HttpClient refuses to set the few remaining restricted fields (Expect).
   */

  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-connection",
          "proxy-authenticate",
          "proxy-authorization",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "content-length",
          "host",
          "expect");

  private Headers() {}

  /** Calls {@code sink} for every end-to-end header of {@code headers}. */
  static void forEachEndToEnd(Map<String, List<String>> headers, BiConsumer<String, String> sink) {
    Set<String> skip = new HashSet<>(HOP_BY_HOP);
    headers.forEach(
        (name, values) -> {
          if (name != null && name.equalsIgnoreCase("connection")) {
            values.forEach(v -> addTokens(v, skip));
          }
        });
    headers.forEach(
        (name, values) -> {
          if (name != null && !name.startsWith(":") && !skip.contains(lower(name))) {
            values.forEach(v -> sink.accept(name, v));
          }
        });
  }

  private static void addTokens(String value, Set<String> skip) {
    for (String token : value.split(",")) {
      if (!token.isBlank()) {
        skip.add(lower(token.trim()));
      }
    }
  }

  static String lower(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
