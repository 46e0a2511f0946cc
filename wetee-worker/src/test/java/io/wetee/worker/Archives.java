package io.wetee.worker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;

/** Builds tar.gz archives entry by entry, including ones the packer would never write. */
final class Archives {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final GZIPOutputStream gzip;
  private final TarWriter tar;

  Archives() {
    try {
      gzip = new GZIPOutputStream(bytes);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    tar = new TarWriter(gzip);
  }

  Archives file(String name, String content) throws IOException {
    byte[] data = content.getBytes(StandardCharsets.UTF_8);
    tar.entry(name, '0', 0644, data.length, "");
    tar.data(data);
    tar.pad();
    return this;
  }

  Archives dir(String name) throws IOException {
    tar.entry(name, '5', 0755, 0, "");
    return this;
  }

  Archives link(String name, String target) throws IOException {
    tar.entry(name, '2', 0777, 0, target);
    return this;
  }

  Archives raw(String name, char type, String linkName) throws IOException {
    tar.entry(name, type, 0644, 0, linkName);
    return this;
  }

  /** Finishes the archive, writes it to {@code file} and answers its SHA-256. */
  String writeTo(Path file) throws IOException {
    tar.finish();
    gzip.finish();
    Files.write(file, bytes.toByteArray());
    return sha256(file);
  }

  static String sha256(Path file) throws IOException {
    return InstanceRecord.sha256Hex(Files.readAllBytes(file));
  }

  static String hex(byte[] data) {
    return HexFormat.of().formatHex(data);
  }
}
