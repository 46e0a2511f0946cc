package io.wetee.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleTest {
  @TempDir Path tmp;
  BundleCache cache;

  @BeforeEach
  void open() {
    cache = BundleCache.open(tmp.resolve("cache"));
  }

  private Path program() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("program"));
    Files.writeString(dir.resolve("app.py"), "print('hi')\n");
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Files.writeString(bin.resolve("run"), "#!/bin/sh\nexec python3 ../app.py\n");
    Files.setPosixFilePermissions(bin.resolve("run"), PosixFilePermissions.fromString("rwxr-x---"));
    Files.createDirectories(dir.resolve("empty"));
    Files.createSymbolicLink(dir.resolve("start"), Path.of("bin/run"));
    Files.writeString(dir.resolve("x".repeat(60) + "-" + "y".repeat(60) + ".txt"), "long name\n");
    return dir;
  }

  private FetchResult.Ready ready(FetchResult result) {
    assertThat(result).isInstanceOf(FetchResult.Ready.class);
    return (FetchResult.Ready) result;
  }

  private FetchResult.Refused refused(FetchResult result) {
    assertThat(result).isInstanceOf(FetchResult.Refused.class);
    return (FetchResult.Refused) result;
  }

  @Test
  void packedBundleUnpacksToTheSameFilesLinksAndExecuteBits() throws Exception {
    PackResult.Packed packed =
        (PackResult.Packed) BundlePacker.pack(program(), tmp.resolve("app.tar.gz"));

    FetchResult.Ready ready = ready(cache.fetch(packed.fileRef()));

    Path root = ready.root();
    assertThat(ready.cached()).isFalse();
    assertThat(root).isEqualTo(cache.dir().resolve("sha256").resolve(packed.sha256()));
    assertThat(packed.entries()).isEqualTo(6);
    assertThat(Files.readString(root.resolve("app.py"))).isEqualTo("print('hi')\n");
    assertThat(Files.readSymbolicLink(root.resolve("start"))).isEqualTo(Path.of("bin/run"));
    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("bin/run"))))
        .isEqualTo("rwxr-xr-x");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("app.py"))))
        .isEqualTo("rw-r--r--");
    assertThat(root.resolve("empty")).isDirectory();
    assertThat(root.resolve("x".repeat(60) + "-" + "y".repeat(60) + ".txt"))
        .hasContent("long name");
  }

  @Test
  void packingTheSameTreeTwiceGivesTheSameDigest() throws Exception {
    Path dir = program();
    PackResult.Packed first = (PackResult.Packed) BundlePacker.pack(dir, tmp.resolve("a.tar.gz"));
    Files.setLastModifiedTime(
        dir.resolve("app.py"), java.nio.file.attribute.FileTime.fromMillis(0));
    PackResult.Packed second = (PackResult.Packed) BundlePacker.pack(dir, tmp.resolve("b.tar.gz"));

    assertThat(second.sha256()).isEqualTo(first.sha256());
    assertThat(Files.readAllBytes(tmp.resolve("b.tar.gz")))
        .isEqualTo(Files.readAllBytes(tmp.resolve("a.tar.gz")));
  }

  @Test
  void gnuTarListsWhatThePackerWritesAndThePackerReadsWhatGnuTarWrites() throws Exception {
    Path dir = program();
    BundlePacker.pack(dir, tmp.resolve("ours.tar.gz"));
    Process list = new ProcessBuilder("tar", "-tzf", tmp.resolve("ours.tar.gz").toString()).start();
    List<String> listed =
        new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    assertThat(list.waitFor()).isZero();
    assertThat(listed)
        .containsExactly(
            "app.py",
            "bin/",
            "bin/run",
            "empty/",
            "start",
            "x".repeat(60) + "-" + "y".repeat(60) + ".txt");

    Path theirs = tmp.resolve("theirs.tar.gz");
    Process create =
        new ProcessBuilder("tar", "-czf", theirs.toString(), "-C", dir.toString(), ".").start();
    assertThat(create.waitFor()).isZero();
    FetchResult.Ready ready =
        ready(cache.fetch(new BundleRef(theirs.toUri(), Archives.sha256(theirs))));
    assertThat(ready.root().resolve("x".repeat(60) + "-" + "y".repeat(60) + ".txt"))
        .hasContent("long name");
    assertThat(Files.readSymbolicLink(ready.root().resolve("start"))).isEqualTo(Path.of("bin/run"));
  }

  @Test
  void bundleWithAWrongDigestIsRefusedAndNeverUnpacked() throws Exception {
    PackResult.Packed packed =
        (PackResult.Packed) BundlePacker.pack(program(), tmp.resolve("app.tar.gz"));
    String wrong = "0".repeat(64);

    FetchResult.Refused refused =
        refused(cache.fetch(new BundleRef(packed.archive().toUri(), wrong)));

    assertThat(refused.reason()).isEqualTo(BundleRefusal.DIGEST_MISMATCH);
    assertThat(refused.detail()).contains(packed.sha256());
    assertThat(cache.find(wrong)).isEmpty();
    assertThat(cache.find(packed.sha256())).isEmpty();
    try (var left = Files.list(cache.dir().resolve("tmp"))) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void refusesEntriesThatClimbOutOfTheBundle() throws Exception {
    assertRefused(new Archives().file("../evil", "x"), BundleRefusal.UNSAFE_PATH);
    assertRefused(new Archives().file("a/../../evil", "x"), BundleRefusal.UNSAFE_PATH);
    assertRefused(new Archives().file("/etc/evil", "x"), BundleRefusal.UNSAFE_PATH);
  }

  @Test
  void refusesSymlinksThatLeaveTheBundle() throws Exception {
    assertRefused(new Archives().link("passwd", "/etc/passwd"), BundleRefusal.UNSAFE_LINK);
    assertRefused(new Archives().link("up", "../../outside"), BundleRefusal.UNSAFE_LINK);
    assertRefused(new Archives().dir("a").link("a/up", "../.."), BundleRefusal.UNSAFE_LINK);
    // Each link alone stays inside; together "c" resolves to the root's parent.
    assertRefused(new Archives().link("l", ".").link("c", "l/../x"), BundleRefusal.UNSAFE_LINK);
    assertRefused(
        new Archives().link("loop1", "loop2").link("loop2", "loop1"), BundleRefusal.UNSAFE_LINK);
  }

  @Test
  void refusesWritingThroughASymlink() throws Exception {
    assertRefused(
        new Archives().dir("sub").link("a", "sub").file("a/x", "x"), BundleRefusal.UNSAFE_PATH);
  }

  @Test
  void refusesHardLinksDevicesFifosAndDuplicates() throws Exception {
    assertRefused(
        new Archives().file("a", "x").raw("b", '1', "a"), BundleRefusal.UNSUPPORTED_ENTRY);
    assertRefused(new Archives().raw("tty", '3', ""), BundleRefusal.UNSUPPORTED_ENTRY);
    assertRefused(new Archives().raw("disk", '4', ""), BundleRefusal.UNSUPPORTED_ENTRY);
    assertRefused(new Archives().raw("fifo", '6', ""), BundleRefusal.UNSUPPORTED_ENTRY);
    assertRefused(new Archives().file("a", "x").file("./a", "y"), BundleRefusal.DUPLICATE_ENTRY);
  }

  @Test
  void acceptsLinksThatStayInside() throws Exception {
    Path archive = tmp.resolve("ok.tar.gz");
    String sha =
        new Archives()
            .dir("lib")
            .file("lib/real.so", "elf")
            .dir("bin")
            .link("bin/lib", "../lib")
            .link("cur", "lib/../lib/real.so")
            .writeTo(archive);

    FetchResult.Ready ready = ready(cache.fetch(new BundleRef(archive.toUri(), sha)));

    assertThat(ready.root().resolve("cur")).hasContent("elf");
  }

  @Test
  void refusesArchivesOverTheSizeLimits() throws Exception {
    BundleCache small =
        BundleCache.open(
            tmp.resolve("small"), new BundleLimits(4096, 1 << 20, 10), HttpClient.newHttpClient());
    Path big = tmp.resolve("big.tar.gz");
    byte[] noise = new byte[8192];
    new java.util.Random(1).nextBytes(noise);
    String bigSha =
        new Archives().file("noise", new String(noise, StandardCharsets.ISO_8859_1)).writeTo(big);
    Path bomb = tmp.resolve("bomb.tar.gz");
    String bombSha = new Archives().file("zeros", "\0".repeat(4 << 20)).writeTo(bomb);
    Path many = tmp.resolve("many.tar.gz");
    Archives entries = new Archives();
    for (int i = 0; i < 11; i++) {
      entries.file("f" + i, "");
    }
    String manySha = entries.writeTo(many);

    assertThat(refused(small.fetch(new BundleRef(big.toUri(), bigSha))).reason())
        .isEqualTo(BundleRefusal.TOO_LARGE);
    assertThat(Files.size(bomb)).isLessThan(16_384);
    assertThat(refused(small.fetch(new BundleRef(bomb.toUri(), bombSha))).reason())
        .isEqualTo(BundleRefusal.TOO_LARGE);
    assertThat(refused(small.fetch(new BundleRef(many.toUri(), manySha))).reason())
        .isEqualTo(BundleRefusal.TOO_LARGE);
  }

  @Test
  void refusesACorruptArchiveAsMalformed() throws Exception {
    Path notGzip = Files.writeString(tmp.resolve("x.tar.gz"), "hello, not gzip");
    Path notTar = tmp.resolve("y.tar.gz");
    try (GZIPOutputStream gz = new GZIPOutputStream(Files.newOutputStream(notTar))) {
      gz.write("g".repeat(1024).getBytes(StandardCharsets.US_ASCII));
    }
    Path whole = tmp.resolve("whole.tar.gz");
    new Archives().file("a", "x".repeat(100_000)).writeTo(whole);
    byte[] bytes = Files.readAllBytes(whole);
    Path truncated =
        Files.write(tmp.resolve("cut.tar.gz"), java.util.Arrays.copyOf(bytes, bytes.length / 2));

    for (Path archive : List.of(notGzip, notTar, truncated)) {
      FetchResult result = cache.fetch(new BundleRef(archive.toUri(), Archives.sha256(archive)));
      assertThat(refused(result).reason())
          .as(archive.toString())
          .isEqualTo(BundleRefusal.MALFORMED);
    }
  }

  @Test
  void fetchesOverHttpAndReportsAMissingArchiveAsNotFound() throws Exception {
    PackResult.Packed packed =
        (PackResult.Packed) BundlePacker.pack(program(), tmp.resolve("app.tar.gz"));
    byte[] body = Files.readAllBytes(packed.archive());
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          boolean found = exchange.getRequestURI().getPath().equals("/app.tar.gz");
          exchange.sendResponseHeaders(found ? 200 : 404, found ? body.length : -1);
          if (found) {
            exchange.getResponseBody().write(body);
          }
          exchange.close();
        });
    server.start();
    try {
      URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");

      FetchResult fetched = cache.fetch(packed.refAt(base.resolve("app.tar.gz")));
      FetchResult missing = cache.fetch(new BundleRef(base.resolve("gone.tar.gz"), "1".repeat(64)));

      assertThat(ready(fetched).root()).isEqualTo(cache.find(packed.sha256()).orElseThrow());
      assertThat(refused(missing).reason()).isEqualTo(BundleRefusal.NOT_FOUND);
      assertThat(ready(cache.fetch(packed.refAt(base.resolve("gone.tar.gz")))).cached()).isTrue();
    } finally {
      server.stop(0);
    }
  }

  @Test
  void parsesReferencesWithTheDigestInTheFragment() {
    String hex = "ab".repeat(32);

    BundleRef ref =
        BundleRef.parse(
            "https://example.org/app.tar.gz#sha256=" + hex.toUpperCase(java.util.Locale.ROOT));

    assertThat(ref.location()).isEqualTo(URI.create("https://example.org/app.tar.gz"));
    assertThat(ref.sha256()).isEqualTo(hex);
    assertThat(ref.toString()).isEqualTo("https://example.org/app.tar.gz#sha256=" + hex);
    assertThat(BundleRef.isBundle("file:///srv/app.tar.gz#sha256=" + hex)).isTrue();
    assertThat(BundleRef.isBundle("registry.example/hello@sha256:" + hex)).isFalse();
    assertThatThrownBy(() -> BundleRef.parse("https://example.org/app.tar.gz"))
        .hasMessageContaining("#sha256=");
    assertThatThrownBy(() -> BundleRef.parse("ftp://example.org/a.tar.gz#sha256=" + hex))
        .hasMessageContaining("file:, http: or https:");
    assertThatThrownBy(() -> BundleRef.parse("file:///a.tar.gz#sha256=abc"))
        .hasMessageContaining("64");
  }

  private void assertRefused(Archives archive, BundleRefusal reason) throws IOException {
    Path file = Files.createTempFile(tmp, "evil-", ".tar.gz");
    String sha = archive.writeTo(file);
    FetchResult.Refused refused = refused(cache.fetch(new BundleRef(file.toUri(), sha)));
    assertThat(refused.reason()).as(refused.detail()).isEqualTo(reason);
    assertThat(cache.find(sha)).isEmpty();
    assertThat(tmp.getParent().resolve("evil")).doesNotExist();
  }
}
