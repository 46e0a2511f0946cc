package io.wetee.secretnode;

import io.wetee.common.Hex;
import io.wetee.common.Json;
import io.wetee.crypto.Keccak;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

/**
 * Append-only audit log of every release and refusal: one JSON object per line, each carrying the
 * keccak256 of the previous line ({@code prev}), so a removed or edited line breaks the chain
 * ({@link #verifyChain}). Opened in append mode and forced to disk after each entry. Holds no
 * secret: names, ids, reason codes and the instance address only. Thread-safe.
 */
final class AuditLog implements AutoCloseable {
  /**
   * One line.
   *
   * @param outcome {@code released} or the refusal's reason code
   */
  record Entry(
      String time,
      String client,
      long workloadId,
      long version,
      String instance,
      List<String> secrets,
      String outcome,
      String detail,
      String prev) {}

  private final Path file;
  private final FileChannel channel;
  private String prev;

  AuditLog(Path file) {
    this.file = file;
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      this.prev = lastLineHash(file);
      this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new SecretNodeException("cannot open audit log " + file + ": " + e.getMessage(), e);
    }
  }

  synchronized void append(
      Instant at, String client, ReleaseRequest r, String instance, String outcome, String detail) {
    Entry e =
        new Entry(
            at.toString(),
            client,
            r.workloadId(),
            r.version(),
            instance,
            r.secrets().stream().map(ReleaseRequest.SecretRef::name).toList(),
            outcome,
            detail,
            prev);
    try {
      byte[] line = Json.strict().writeValueAsBytes(e);
      channel.write(
          ByteBuffer.wrap(
              (new String(line, StandardCharsets.UTF_8) + "\n").getBytes(StandardCharsets.UTF_8)));
      channel.force(false);
      prev = Hex.encode(Keccak.keccak256(line));
    } catch (IOException ex) {
      throw new SecretNodeException("cannot append to audit log " + file, ex);
    }
  }

  /** Whether every line's {@code prev} is the hash of the line before it. */
  static boolean verifyChain(Path file) throws IOException {
    String prev = "";
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      Entry e = Json.strict().readValue(line, Entry.class);
      if (!prev.equals(e.prev())) {
        return false;
      }
      prev = Hex.encode(Keccak.keccak256(line.getBytes(StandardCharsets.UTF_8)));
    }
    return true;
  }

  private static String lastLineHash(Path file) throws IOException {
    if (!Files.exists(file)) {
      return "";
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    return lines.isEmpty()
        ? ""
        : Hex.encode(
            Keccak.keccak256(lines.get(lines.size() - 1).getBytes(StandardCharsets.UTF_8)));
  }

  @Override
  public synchronized void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // Every entry was already forced to disk.
    }
  }
}
