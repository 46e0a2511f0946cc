package io.wetee.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerUnpackerTest {
  private static final String GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
  private static final String TAR = "application/vnd.oci.image.layer.v1.tar";

  @TempDir Path root;
  @TempDir Path outside;

  private final LayerUnpacker unpacker = new LayerUnpacker();

  private void apply(TarWriter tar) {
    unpacker.unpack(new ByteArrayInputStream(TarWriter.gzip(tar.toBytes())), GZIP, root);
  }

  private void assertRefused(TarWriter tar, String message) {
    assertThatThrownBy(() -> apply(tar))
        .isInstanceOfSatisfying(
            OciException.class, e -> assertThat(e.code()).isEqualTo("layer-refused"))
        .hasMessageContaining(message);
  }

  @Test
  void unpacksFilesDirectoriesLinksModesAndTimes() throws IOException {
    apply(
        new TarWriter()
            .mtime(1_600_000_000L)
            .dir("./usr/bin", 0755)
            .file(
                "./usr/bin/tool",
                "#!/bin/sh\n".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                04755)
            .file("usr/share/doc.txt", "doc")
            .symlink("usr/bin/alias", "tool")
            .hardLink("usr/bin/copy", "usr/bin/tool")
            .dir("scratch", 01777));

    Path tool = root.resolve("usr/bin/tool");
    assertThat(tool).hasContent("#!/bin/sh");
    // set-user-id is dropped, the permission bits are kept.
    assertThat(Files.getAttribute(tool, "unix:mode")).isEqualTo(0100755);
    assertThat(Files.getLastModifiedTime(tool)).isEqualTo(FileTime.fromMillis(1_600_000_000_000L));
    assertThat(Files.getLastModifiedTime(root.resolve("usr/bin")))
        .isEqualTo(FileTime.fromMillis(1_600_000_000_000L));
    assertThat(Files.readSymbolicLink(root.resolve("usr/bin/alias"))).isEqualTo(Path.of("tool"));
    assertThat(Files.isSameFile(root.resolve("usr/bin/copy"), tool)).isTrue();
    assertThat(Files.getAttribute(root.resolve("scratch"), "unix:mode")).isEqualTo(041777);
    assertThat(root.resolve("usr/share/doc.txt")).hasContent("doc");
  }

  @Test
  void appliesNumericOwnersWhenRunningAsRoot() throws IOException {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid")),
        "only root can give files to other users");
    apply(
        new TarWriter()
            .owner(1000, 1001)
            .dir("home/app", 0700)
            .file("home/app/key", "k")
            .symlink("home/app/link", "key"));
    Path dir = root.resolve("home/app");
    assertThat(Files.getAttribute(dir, "unix:uid")).isEqualTo(1000);
    assertThat(Files.getAttribute(dir.resolve("key"), "unix:gid")).isEqualTo(1001);
    assertThat(Files.getAttribute(dir.resolve("link"), "unix:uid", LinkOption.NOFOLLOW_LINKS))
        .isEqualTo(1000);
    assertThat(Files.getAttribute(root.resolve("home"), "unix:uid")).isEqualTo(0);
  }

  @Test
  void plainTarLayersAreApplied() {
    byte[] tar = new TarWriter().file("plain", "yes").toBytes();
    unpacker.unpack(new ByteArrayInputStream(tar), TAR, root);
    assertThat(root.resolve("plain")).hasContent("yes");
  }

  @Test
  void longNamesUsePaxHeaders() {
    String name = "d/" + "n".repeat(150);
    apply(new TarWriter().file(name, "long"));
    assertThat(root.resolve(name)).hasContent("long");
  }

  @Test
  void whiteoutRemovesALowerEntryButNotOneOfTheSameLayer() throws IOException {
    apply(new TarWriter().file("etc/old", "1").dir("etc/tree/sub", 0755).file("etc/keep", "k"));
    apply(
        new TarWriter()
            .file("etc/.wh.old", "")
            .file("etc/.wh.tree", "")
            .file("etc/fresh", "f")
            .file("etc/.wh.fresh", ""));

    assertThat(root.resolve("etc/old")).doesNotExist();
    assertThat(root.resolve("etc/tree")).doesNotExist();
    assertThat(root.resolve("etc/keep")).hasContent("k");
    assertThat(root.resolve("etc/fresh")).hasContent("f");
    assertThat(root.resolve("etc/.wh.old")).doesNotExist();
  }

  @Test
  void opaqueDirectoryHidesLowerChildrenOnly() throws IOException {
    apply(new TarWriter().file("www/a", "a").file("www/b/c", "c"));
    apply(new TarWriter().file("www/new", "n").file("www/.wh..wh..opq", "").file("www/later", "l"));

    try (var names = Files.list(root.resolve("www"))) {
      assertThat(names.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("new", "later");
    }
  }

  @Test
  void laterLayerReplacesASymlinkInsteadOfWritingThroughIt() throws IOException {
    Path target = Files.writeString(outside.resolve("victim"), "safe");
    apply(new TarWriter().symlink("conf", target.toString()));
    apply(new TarWriter().file("conf", "replaced"));

    assertThat(Files.isSymbolicLink(root.resolve("conf"))).isFalse();
    assertThat(root.resolve("conf")).hasContent("replaced");
    assertThat(target).hasContent("safe");
  }

  @Test
  void laterLayerNeverWritesIntoAHardLinkedFile() throws IOException {
    apply(new TarWriter().file("a", "one").hardLink("b", "a"));
    apply(new TarWriter().file("b", "two"));
    assertThat(root.resolve("a")).hasContent("one");
    assertThat(root.resolve("b")).hasContent("two");
  }

  @Test
  void absoluteSymlinkInAParentResolvesInsideTheRoot() throws IOException {
    apply(new TarWriter().dir("usr/bin", 0755).symlink("bin", "/usr/bin"));
    apply(new TarWriter().file("bin/tool", "t"));
    assertThat(root.resolve("usr/bin/tool")).hasContent("t");
    assertThat(Files.isSymbolicLink(root.resolve("bin"))).isTrue();
  }

  @Test
  void refusesPathTraversal() {
    assertRefused(new TarWriter().file("a/../../escaped", "x"), "path traversal");
    assertThat(root.getParent().resolve("escaped")).doesNotExist();
  }

  @Test
  void refusesAbsolutePaths() {
    assertRefused(new TarWriter().file("/etc/passwd", "x"), "absolute path");
  }

  @Test
  void refusesDeviceNodesAndFifos() {
    assertRefused(new TarWriter().special("dev/null", '3'), "device node");
    assertRefused(new TarWriter().special("dev/sda", '4'), "device node");
    assertRefused(new TarWriter().special("pipe", '6'), "FIFO");
  }

  @Test
  void refusesWritingThroughASymlinkThatClimbsOutOfTheRoot() {
    assertRefused(
        new TarWriter().symlink("up", "../../../../../../../..").file("up/tmp/owned", "x"),
        "outside the image root");
    assertRefused(
        new TarWriter().symlink("rel", "../" + outside.getFileName()).file("rel/owned", "x"),
        "outside the image root");
    assertThat(outside.resolve("owned")).doesNotExist();
  }

  @Test
  void absoluteSymlinkToAHostDirectoryStaysInTheRoot() throws IOException {
    apply(new TarWriter().symlink("host", outside.toString()).file("host/owned", "x"));
    assertThat(outside.resolve("owned")).doesNotExist();
    assertThat(root.resolve(outside.toString().substring(1)).resolve("owned")).hasContent("x");
  }

  @Test
  void refusesHardLinksToMissingEntriesOrOutside() {
    assertRefused(new TarWriter().hardLink("h", "missing"), "missing entry");
    assertRefused(new TarWriter().hardLink("h", "../outside"), "path traversal");
    assertRefused(new TarWriter().dir("d", 0755).hardLink("h", "d"), "to a directory");
  }

  @Test
  void refusesZstdLayersWithAClearMediaTypeError() {
    assertThatThrownBy(
            () ->
                unpacker.unpack(
                    new ByteArrayInputStream(new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd}),
                    "application/vnd.oci.image.layer.v1.tar+zstd",
                    root))
        .isInstanceOfSatisfying(
            OciException.class, e -> assertThat(e.code()).isEqualTo("unsupported-media-type"))
        .hasMessageContaining("zstd");
  }

  @Test
  void refusesCorruptArchives() {
    byte[] tar = new TarWriter().file("f", "content").toBytes();
    tar[0] = 'g'; // the name changes, the header checksum no longer matches
    assertThatThrownBy(() -> unpacker.unpack(new ByteArrayInputStream(tar), TAR, root))
        .isInstanceOfSatisfying(
            OciException.class, e -> assertThat(e.code()).isEqualTo("layer-refused"));
    assertThatThrownBy(
            () ->
                unpacker.unpack(
                    new ByteArrayInputStream(
                        "not gzip".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                    GZIP,
                    root))
        .isInstanceOfSatisfying(
            OciException.class, e -> assertThat(e.code()).isEqualTo("layer-refused"));
  }

  @Test
  void refusesATruncatedGzipLayer() {
    byte[] gz = TarWriter.gzip(new TarWriter().file("f", new byte[200_000], 0644).toBytes());
    byte[] cut = java.util.Arrays.copyOf(gz, gz.length / 2);
    assertThatThrownBy(() -> unpacker.unpack(new ByteArrayInputStream(cut), GZIP, root))
        .isInstanceOfSatisfying(
            OciException.class, e -> assertThat(e.code()).isEqualTo("layer-refused"));
  }

  @Test
  void stopsAtTheSizeLimit() {
    LayerUnpacker small = new LayerUnpacker(10);
    byte[] tar = new TarWriter().file("big", new byte[11], 0644).toBytes();
    assertThatThrownBy(() -> small.unpack(new ByteArrayInputStream(tar), TAR, root))
        .isInstanceOfSatisfying(
            OciException.class, e -> assertThat(e.code()).isEqualTo("too-large"));
  }

  @Test
  void directoryEntryReplacesAFileAndKeepsExistingChildren() throws IOException {
    apply(new TarWriter().file("x", "file").file("d/child", "c"));
    apply(new TarWriter().dir("x", 0700).dir("d", 0700));
    assertThat(root.resolve("x")).isDirectory();
    assertThat(root.resolve("d/child")).hasContent("c");
    assertThat(Files.isDirectory(root.resolve("x"), LinkOption.NOFOLLOW_LINKS)).isTrue();
  }
}
