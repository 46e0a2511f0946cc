package io.wetee.oci;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Writes ustar archives (pax headers for long names) in memory or to a stream: the layers of test
 * images, including the malicious ones (device nodes, FIFOs, traversal) that real tools refuse to
 * make. Not thread-safe.
 */
public final class TarWriter {
  private final OutputStream out;
  private final ByteArrayOutputStream memory;
  private long mtime = 1_700_000_000L;
  private long uid;
  private long gid;

  /** An archive kept in memory; {@link #toBytes()} finishes it. */
  public TarWriter() {
    this.memory = new ByteArrayOutputStream();
    this.out = memory;
  }

  /** An archive written to {@code out}; {@link #finish()} writes the end blocks. */
  public TarWriter(OutputStream out) {
    this.memory = null;
    this.out = out;
  }

  /** The mtime (seconds) of the following entries. */
  public TarWriter mtime(long seconds) {
    this.mtime = seconds;
    return this;
  }

  /** The numeric owner of the following entries. */
  public TarWriter owner(long uid, long gid) {
    this.uid = uid;
    this.gid = gid;
    return this;
  }

  /** A regular file. */
  public TarWriter file(String name, byte[] content, int mode) {
    header(name, '0', content.length, mode, "");
    write(content);
    pad(content.length);
    return this;
  }

  /** A regular file with text content and mode 0644. */
  public TarWriter file(String name, String content) {
    return file(name, content.getBytes(StandardCharsets.UTF_8), 0644);
  }

  /** A regular file copied from the host. */
  public TarWriter file(String name, Path source, int mode) {
    try {
      long size = Files.size(source);
      header(name, '0', size, mode, "");
      Files.copy(source, out);
      pad(size);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A directory. */
  public TarWriter dir(String name, int mode) {
    header(name.endsWith("/") ? name : name + "/", '5', 0, mode, "");
    return this;
  }

  /** A symbolic link. */
  public TarWriter symlink(String name, String target) {
    header(name, '2', 0, 0777, target);
    return this;
  }

  /** A hard link to an earlier entry. */
  public TarWriter hardLink(String name, String target) {
    header(name, '1', 0, 0644, target);
    return this;
  }

  /** A special entry without content: '3' character device, '4' block device, '6' FIFO. */
  public TarWriter special(String name, char type) {
    header(name, type, 0, 0600, "");
    return this;
  }

  /** Writes the two zero blocks that end the archive. */
  public void finish() {
    write(new byte[1024]);
  }

  /** Finishes the in-memory archive and returns it. */
  public byte[] toBytes() {
    finish();
    return memory.toByteArray();
  }

  /** Gzip-compresses {@code data}. */
  public static byte[] gzip(byte[] data) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private void header(String name, char type, long size, int mode, String link) {
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    byte[] linkBytes = link.getBytes(StandardCharsets.UTF_8);
    if (nameBytes.length > 100 || linkBytes.length > 100) {
      pax(name, link);
    }
    byte[] h = new byte[512];
    put(h, 0, 100, nameBytes.length > 100 ? "pax-long-name" : name);
    octal(h, 100, 8, mode);
    octal(h, 108, 8, uid);
    octal(h, 116, 8, gid);
    octal(h, 124, 12, size);
    octal(h, 136, 12, mtime);
    h[156] = (byte) type;
    put(h, 157, 100, linkBytes.length > 100 ? "pax-long-link" : link);
    put(h, 257, 6, "ustar");
    put(h, 263, 2, "00");
    checksum(h);
    write(h);
  }

  private void pax(String name, String link) {
    StringBuilder records = new StringBuilder();
    records.append(record("path", name));
    if (!link.isEmpty()) {
      records.append(record("linkpath", link));
    }
    byte[] data = records.toString().getBytes(StandardCharsets.UTF_8);
    byte[] h = new byte[512];
    put(h, 0, 100, "PaxHeader");
    octal(h, 100, 8, 0644);
    octal(h, 124, 12, data.length);
    octal(h, 136, 12, mtime);
    h[156] = 'x';
    put(h, 257, 6, "ustar");
    put(h, 263, 2, "00");
    checksum(h);
    write(h);
    write(data);
    pad(data.length);
  }

  private static String record(String key, String value) {
    String body = " " + key + "=" + value + "\n";
    int length = body.getBytes(StandardCharsets.UTF_8).length;
    int digits = Integer.toString(length).length();
    int total = length + digits;
    if (Integer.toString(total).length() != digits) {
      total++;
    }
    return total + body;
  }

  private static void put(byte[] h, int offset, int length, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(bytes, 0, h, offset, Math.min(bytes.length, length));
  }

  private static void octal(byte[] h, int offset, int length, long value) {
    String text = String.format("%0" + (length - 1) + "o", value);
    put(h, offset, length - 1, text);
  }

  private static void checksum(byte[] h) {
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    put(h, 148, 7, String.format("%06o", sum) + "\0");
  }

  private void pad(long size) {
    write(new byte[(int) ((512 - size % 512) % 512)]);
  }

  private void write(byte[] data) {
    try {
      out.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
