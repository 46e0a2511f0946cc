package io.wetee.oci;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.wetee.common.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A token service for {@link LocalRegistry#startWithTokenAuth}: the distribution token protocol
 * (GET realm?service&scope with Basic credentials answers {@code {"token": JWT}}), JWTs signed
 * ES256 by a fresh P-256 key whose self-signed certificate is the registry's root bundle and
 * travels in the JWT's {@code x5c} header. Only the one configured user gets tokens; anonymous
 * requests and wrong passwords get 401. Thread-safe.
 */
public final class TokenService implements AutoCloseable {
  /** The registry's service name (the token's audience). */
  public static final String SERVICE = "wetee-test-registry";

  /** The token issuer the registry trusts. */
  public static final String ISSUER = "wetee-test-token-service";

  private static final ObjectMapper JSON = Json.lenient();

  private final HttpServer server;
  private final KeyPair key;
  private final X509Certificate certificate;
  private final Path certificateFile;
  private final String user;
  private final String password;
  private final AtomicInteger issued = new AtomicInteger();

  private TokenService(String user, String password) throws IOException, GeneralSecurityException {
    this.user = user;
    this.password = password;
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    this.key = generator.generateKeyPair();
    this.certificate = selfSigned(key);
    this.certificateFile = Files.createTempFile("wetee-token-", ".pem");
    Files.writeString(
        certificateFile,
        "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(certificate.getEncoded())
            + "\n-----END CERTIFICATE-----\n");
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/token", this::handle);
    server.start();
  }

  /** Starts a service that issues tokens to {@code user} with {@code password} only. */
  public static TokenService start(String user, String password) {
    try {
      return new TokenService(user, password);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("starting the token service", e);
    }
  }

  /** The realm URL for the registry's config. */
  public String realm() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
  }

  /** The PEM file of the signing certificate (the registry's root cert bundle). */
  public Path certificateFile() {
    return certificateFile;
  }

  /** How many tokens were issued. */
  public int issued() {
    return issued.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!authorized(exchange.getRequestHeaders().getFirst("Authorization"))) {
        exchange.sendResponseHeaders(401, -1);
        return;
      }
      List<Map<String, Object>> access = new ArrayList<>();
      String query = exchange.getRequestURI().getRawQuery();
      for (String pair : query == null ? new String[0] : query.split("&")) {
        String[] kv = pair.split("=", 2);
        if (kv[0].equals("scope") && kv.length == 2) {
          String[] parts = URLDecoder.decode(kv[1], StandardCharsets.UTF_8).split(":");
          if (parts.length == 3) {
            access.add(
                Map.of(
                    "type", parts[0], "name", parts[1], "actions", List.of(parts[2].split(","))));
          }
        }
      }
      byte[] body = JSON.writeValueAsBytes(Map.of("token", jwt(access), "expires_in", 300));
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
      issued.incrementAndGet();
    } catch (GeneralSecurityException e) {
      throw new IOException(e);
    }
  }

  private boolean authorized(String header) {
    if (header == null || !header.startsWith("Basic ")) {
      return false;
    }
    String pair =
        new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8);
    return pair.equals(user + ":" + password);
  }

  private String jwt(List<Map<String, Object>> access)
      throws IOException, GeneralSecurityException {
    long now = Instant.now().getEpochSecond();
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("typ", "JWT");
    header.put("alg", "ES256");
    header.put("x5c", List.of(Base64.getEncoder().encodeToString(certificate.getEncoded())));
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", ISSUER);
    claims.put("sub", user);
    claims.put("aud", SERVICE);
    claims.put("exp", now + 300);
    claims.put("nbf", now - 10);
    claims.put("iat", now);
    claims.put("jti", UUID.randomUUID().toString());
    claims.put("access", access);
    Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
    String signingInput =
        url.encodeToString(JSON.writeValueAsBytes(header))
            + "."
            + url.encodeToString(JSON.writeValueAsBytes(claims));
    // JWS ES256 signatures are R || S (IEEE P1363), not DER.
    Signature signer = Signature.getInstance("SHA256withECDSAinP1363Format");
    signer.initSign(key.getPrivate());
    signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
    return signingInput + "." + url.encodeToString(signer.sign());
  }

  private static X509Certificate selfSigned(KeyPair key) throws GeneralSecurityException {
    try {
      X500Name name = new X500Name("CN=" + ISSUER);
      Instant now = Instant.now();
      var builder =
          new JcaX509v3CertificateBuilder(
              name,
              BigInteger.valueOf(now.toEpochMilli()),
              Date.from(now.minusSeconds(3600)),
              Date.from(now.plusSeconds(86_400)),
              name,
              key.getPublic());
      var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate());
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    } catch (org.bouncycastle.operator.OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    try {
      Files.deleteIfExists(certificateFile);
    } catch (IOException e) {
      // a leftover certificate file is harmless
    }
  }
}
