package io.wetee.chain;

import java.util.List;
import okhttp3.ConnectionSpec;
import okhttp3.OkHttpClient;
import org.web3j.protocol.http.HttpService;

/**
 * The HTTP transport to a JSON-RPC endpoint. For a plain {@code http:} URL (a devnet, a node on the
 * same host or inside a private network) the client is built for cleartext only: OkHttp then skips
 * its TLS set-up, which loads and parses the JDK's trust store on every process start (about 0.1 s
 * of a short CLI command on a small machine). {@code https:} URLs get web3j's default client, TLS
 * and all.
 */
public final class RpcHttp {
  private RpcHttp() {}

  /** A web3j HTTP service for {@code url}. */
  public static HttpService service(String url) {
    if (url.regionMatches(true, 0, "http:", 0, 5)) {
      OkHttpClient client =
          new OkHttpClient.Builder().connectionSpecs(List.of(ConnectionSpec.CLEARTEXT)).build();
      return new HttpService(url, client);
    }
    return new HttpService(url);
  }
}
