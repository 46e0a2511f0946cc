package io.wetee.agent;

import io.wetee.crypto.Bytes32;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.crypto.digests.KeccakDigest;

/**
 * The program's stdout and stderr as a sequence of hashed chunks, bounded in memory.
 *
 * <p>Design notes: bytes are appended per stream into an open chunk; a chunk is sealed when it
 * reaches {@code chunkBytes} or when a reader (logs, proof, run result) asks, and then gets the
 * next sequence number and its leaf hash {@code keccak256(0x00 ‖ seq (8) ‖ stream (1) ‖
 * startedAtMillis (8) ‖ bytes)} ({@link Merkle}). When the kept contents exceed {@code maxBytes}
 * the oldest contents are dropped but their hashes stay (up to {@link #MAX_CHUNKS} chunks), so
 * roots over older ranges can still be computed and the owner sees what was dropped. A running
 * keccak256 over every stdout byte gives a task's result hash without keeping stdout. Thread-safe
 * (one monitor).
 */
final class LogStore {
  /** Chunk metadata (hashes) kept at most; older entries are forgotten entirely. */
  static final int MAX_CHUNKS = 200_000;

  /** Output streams of the program; the code is part of the chunk encoding. */
  enum Stream {
    STDOUT(1),
    STDERR(2);

    final int code;

    Stream(int code) {
      this.code = code;
    }
  }

  /** A sealed chunk; {@code data} is empty once dropped for space. */
  record Chunk(
      long seq, Stream stream, long startedAt, int size, Optional<byte[]> data, Bytes32 hash) {}

  private final int chunkBytes;
  private final long maxBytes;
  private final Clock clock;
  private final List<Chunk> chunks = new ArrayList<>();
  private final Map<Stream, ByteArrayOutputStream> open = new EnumMap<>(Stream.class);
  private final Map<Stream, Long> openedAt = new EnumMap<>(Stream.class);
  private final KeccakDigest stdout = new KeccakDigest(256);
  private int firstWithData;
  private long nextSeq;
  private long keptBytes;
  private long droppedBytes;

  LogStore(int chunkBytes, long maxBytes, Clock clock) {
    this.chunkBytes = chunkBytes;
    this.maxBytes = maxBytes;
    this.clock = clock;
  }

  /** Appends program output; seals full chunks. */
  synchronized void append(Stream s, byte[] b, int off, int len) {
    if (s == Stream.STDOUT) {
      stdout.update(b, off, len);
    }
    int pos = off;
    int end = off + len;
    while (pos < end) {
      ByteArrayOutputStream buf = open.computeIfAbsent(s, k -> new ByteArrayOutputStream());
      openedAt.putIfAbsent(s, clock.millis());
      int n = Math.min(end - pos, chunkBytes - buf.size());
      buf.write(b, pos, n);
      pos += n;
      if (buf.size() >= chunkBytes) {
        sealStream(s);
      }
    }
  }

  /** Seals the open chunks; returns the sequence number the next chunk will get. */
  synchronized long seal() {
    for (Stream s : Stream.values()) {
      sealStream(s);
    }
    return nextSeq;
  }

  private void sealStream(Stream s) {
    ByteArrayOutputStream buf = open.remove(s);
    Long started = openedAt.remove(s);
    if (buf == null || buf.size() == 0) {
      return;
    }
    byte[] data = buf.toByteArray();
    long seq = nextSeq++;
    byte[] entry =
        ByteBuffer.allocate(17 + data.length)
            .putLong(seq)
            .put((byte) s.code)
            .putLong(started)
            .put(data)
            .array();
    chunks.add(new Chunk(seq, s, started, data.length, Optional.of(data), Merkle.leaf(entry)));
    keptBytes += data.length;
    dropOldContents();
    forgetOldHashes();
  }

  private void dropOldContents() {
    while (keptBytes > maxBytes && firstWithData < chunks.size()) {
      Chunk c = chunks.get(firstWithData);
      chunks.set(
          firstWithData,
          new Chunk(c.seq(), c.stream(), c.startedAt(), c.size(), Optional.empty(), c.hash()));
      keptBytes -= c.size();
      droppedBytes += c.size();
      firstWithData++;
    }
  }

  private void forgetOldHashes() {
    // Trim in batches: removing from the front of an ArrayList is linear.
    if (chunks.size() > MAX_CHUNKS + MAX_CHUNKS / 8) {
      int excess = chunks.size() - MAX_CHUNKS;
      chunks.subList(0, excess).clear();
      firstWithData = Math.max(0, firstWithData - excess);
    }
  }

  /** Index of the chunk with this sequence number, clamped to [0, size]. */
  private int indexOf(long seq) {
    if (chunks.isEmpty()) {
      return 0;
    }
    long i = seq - chunks.get(0).seq();
    return (int) Math.max(0, Math.min(chunks.size(), i));
  }

  /** Sealed chunks with {@code seq >= since}, at most {@code limit}, after sealing open ones. */
  synchronized List<Chunk> since(long since, int limit) {
    seal();
    int from = indexOf(since);
    return List.copyOf(chunks.subList(from, Math.min(chunks.size(), from + limit)));
  }

  /** Leaf hashes of the kept chunks with {@code from <= seq < to}. */
  synchronized List<Bytes32> hashes(long from, long to) {
    List<Bytes32> out = new ArrayList<>();
    for (Chunk c : chunks.subList(indexOf(from), indexOf(to))) {
      out.add(c.hash());
    }
    return out;
  }

  /** The oldest sequence number whose hash is still kept (or the next one when none is). */
  synchronized long oldestKept() {
    return chunks.isEmpty() ? nextSeq : chunks.get(0).seq();
  }

  /** Bytes of chunk contents dropped for space so far. */
  synchronized long droppedBytes() {
    return droppedBytes;
  }

  /** keccak256 of every stdout byte so far. */
  synchronized Bytes32 stdoutHash() {
    KeccakDigest copy = new KeccakDigest(stdout);
    byte[] out = new byte[32];
    copy.doFinal(out, 0);
    return Bytes32.of(out);
  }
}
