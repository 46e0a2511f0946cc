package io.wetee.oci;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real OCI distribution registry on loopback for tests: Debian's {@code docker-registry}
 * (installed with apt-get when missing and running as root), filesystem storage in a temporary
 * directory, anonymous, Basic (htpasswd) or token auth ({@link TokenService}). {@link #close()}
 * stops the process and deletes the storage.
 */
public final class LocalRegistry implements AutoCloseable {
  private static final String BINARY = "/usr/bin/docker-registry";

  private final Process process;
  private final Path dir;
  private final int port;

  private LocalRegistry(Process process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.port = port;
  }

  /** A registry that lets anyone push and pull. */
  public static LocalRegistry start() {
    return start(Optional.empty(), Optional.empty());
  }

  /** A registry that accepts only bearer tokens issued by {@code tokens}. */
  public static LocalRegistry startWithTokenAuth(TokenService tokens) {
    return start(Optional.of(tokens), Optional.empty());
  }

  /** A registry that accepts only HTTP Basic auth of {@code user} (htpasswd, bcrypt). */
  public static LocalRegistry startWithBasicAuth(String user, String password) {
    byte[] salt = new byte[16];
    new java.security.SecureRandom().nextBytes(salt);
    String hash =
        org.bouncycastle.crypto.generators.OpenBSDBCrypt.generate(
            "2y", password.toCharArray(), salt, 6);
    return start(Optional.empty(), Optional.of(user + ":" + hash + "\n"));
  }

  private static LocalRegistry start(Optional<TokenService> tokens, Optional<String> htpasswd) {
    Path binary = DebianPackages.require(BINARY, "docker-registry");
    Path dir = null;
    try {
      dir = Files.createTempDirectory("wetee-registry-");
      for (int attempt = 0; ; attempt++) {
        int port = freePort();
        Path config = dir.resolve("config.yml");
        Path passwords = dir.resolve("htpasswd");
        if (htpasswd.isPresent()) {
          Files.writeString(passwords, htpasswd.get());
        }
        Files.writeString(
            config,
            config(dir.resolve("storage"), port, tokens)
                + (htpasswd.isPresent()
                    ? "auth:\n  htpasswd:\n    realm: wetee-test\n    path: " + passwords + "\n"
                    : ""));
        Process process =
            new ProcessBuilder(binary.toString(), "serve", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("registry.log").toFile())
                .start();
        LocalRegistry registry = new LocalRegistry(process, dir, port);
        if (registry.awaitReady(Duration.ofSeconds(15))) {
          return registry;
        }
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        if (attempt >= 2) {
          throw new IllegalStateException(
              "docker-registry did not start: " + Files.readString(dir.resolve("registry.log")));
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("starting docker-registry", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted starting docker-registry", e);
    }
  }

  private static String config(Path storage, int port, Optional<TokenService> tokens) {
    StringBuilder yaml = new StringBuilder();
    yaml.append("version: 0.1\n")
        .append("log:\n  level: warn\n  accesslog:\n    disabled: true\n")
        .append("storage:\n  filesystem:\n    rootdirectory: ")
        .append(storage)
        .append("\n  delete:\n    enabled: true\n  redirect:\n    disable: true\n")
        .append("http:\n  addr: 127.0.0.1:")
        .append(port)
        .append("\n  secret: ")
        .append(UUID.randomUUID())
        .append('\n');
    tokens.ifPresent(
        t ->
            yaml.append("auth:\n  token:\n    realm: ")
                .append(t.realm())
                .append("\n    service: ")
                .append(TokenService.SERVICE)
                .append("\n    issuer: ")
                .append(TokenService.ISSUER)
                .append("\n    rootcertbundle: ")
                .append(t.certificateFile())
                .append('\n'));
    return yaml.toString();
  }

  private boolean awaitReady(Duration timeout) throws InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline && process.isAlive()) {
      try {
        int status =
            client
                .send(
                    HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/")).build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode();
        if (status == 200 || status == 401) {
          return true;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(50);
    }
    return false;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** {@code 127.0.0.1:<port>}, the registry part of image references. */
  public String host() {
    return "127.0.0.1:" + port;
  }

  /** A reference to {@code repository:tag} in this registry. */
  public ImageRef ref(String repository, String tag) {
    return ImageRef.parse(host() + "/" + repository + ":" + tag);
  }

  /** The file where the registry keeps a blob's bytes (to tamper with them in tests). */
  public Path blobFile(String digest) {
    String hex = digest.substring("sha256:".length());
    return dir.resolve("storage/docker/registry/v2/blobs/sha256")
        .resolve(hex.substring(0, 2))
        .resolve(hex)
        .resolve("data");
  }

  /** The registry's log (for failure messages). */
  public String log() {
    try {
      return Files.readString(dir.resolve("registry.log"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
      LayerUnpacker.remove(dir);
    } catch (IOException e) {
      // a leftover temp directory is harmless
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
