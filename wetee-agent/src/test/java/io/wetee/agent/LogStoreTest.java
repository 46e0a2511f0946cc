package io.wetee.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.wetee.crypto.Keccak;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogStoreTest {
  private final Clock clock = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_123L), ZoneOffset.UTC);

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static void append(LogStore store, LogStore.Stream s, String text) {
    byte[] b = utf8(text);
    store.append(s, b, 0, b.length);
  }

  @Test
  void sealsAChunkWhenItIsFullAndHashesItsSequenceStreamTimeAndBytes() {
    LogStore store = new LogStore(64, 1 << 20, clock);
    append(store, LogStore.Stream.STDOUT, "x".repeat(100));
    List<LogStore.Chunk> chunks = store.since(0, 10);
    assertThat(chunks).extracting(LogStore.Chunk::size).containsExactly(64, 36);
    assertThat(chunks).extracting(LogStore.Chunk::seq).containsExactly(0L, 1L);
    byte[] entry =
        ByteBuffer.allocate(17 + 36)
            .putLong(1)
            .put((byte) 1)
            .putLong(1_700_000_000_123L)
            .put(utf8("x".repeat(36)))
            .array();
    assertThat(chunks.get(1).hash()).isEqualTo(Keccak.hash(new byte[] {0}, entry));
  }

  @Test
  void keepsStreamsInSeparateChunksInTheOrderTheyWereSealed() {
    LogStore store = new LogStore(64, 1 << 20, clock);
    append(store, LogStore.Stream.STDERR, "err");
    append(store, LogStore.Stream.STDOUT, "out");
    assertThat(store.seal()).isEqualTo(2);
    assertThat(store.since(0, 10))
        .extracting(
            c -> c.stream() + ":" + new String(c.data().orElseThrow(), StandardCharsets.UTF_8))
        .containsExactly("STDOUT:out", "STDERR:err");
    assertThat(store.seal()).isEqualTo(2); // nothing open: no empty chunk
  }

  @Test
  void dropsTheOldestContentsPastTheBoundButKeepsTheirHashes() {
    LogStore store = new LogStore(64, 128, clock);
    append(store, LogStore.Stream.STDOUT, "a".repeat(64 * 4));
    List<LogStore.Chunk> chunks = store.since(0, 10);
    assertThat(chunks).hasSize(4);
    assertThat(chunks)
        .extracting(c -> c.data().isPresent())
        .containsExactly(false, false, true, true);
    assertThat(store.droppedBytes()).isEqualTo(128);
    assertThat(store.hashes(0, 4)).hasSize(4).doesNotContainNull();
    assertThat(store.hashes(1, 3)).containsExactly(chunks.get(1).hash(), chunks.get(2).hash());
  }

  @Test
  void hashesAllStdoutForTheTaskResultWhateverWasDropped() {
    LogStore store = new LogStore(64, 64, clock);
    append(store, LogStore.Stream.STDOUT, "hello ");
    append(store, LogStore.Stream.STDERR, "noise");
    append(store, LogStore.Stream.STDOUT, "world".repeat(40));
    assertThat(store.stdoutHash()).isEqualTo(Keccak.hash(utf8("hello " + "world".repeat(40))));
  }
}
