package io.wetee.chain;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.Web3j;

/** The cleartext transport really carries JSON-RPC over HTTP on loopback. */
class RpcHttpTest {
  @Test
  void cleartextServiceTalksJsonRpc() throws Exception {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        ex -> {
          String req = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          String id = req.replaceAll(".*\"id\"\\s*:\\s*(\\d+).*", "$1");
          byte[] body =
              ("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":\"0x7a69\"}")
                  .getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "application/json");
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    server.start();
    Web3j web3j = Web3j.build(RpcHttp.service("http://127.0.0.1:" + server.getAddress().getPort()));
    try {
      assertThat(web3j.ethChainId().send().getChainId()).hasToString("31337");
    } finally {
      web3j.shutdown();
      server.stop(0);
    }
  }

  @Test
  void httpsKeepsTheDefaultTlsClient() {
    assertThat(RpcHttp.service("https://rpc.example.org")).isNotNull();
    assertThat(RpcHttp.service("HTTP://127.0.0.1:1")).isNotNull();
  }
}
