package io.wetee.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobStoreTest {
  @TempDir Path dir;

  private static final byte[] DATA = "layer bytes".getBytes(StandardCharsets.UTF_8);
  private static final String DIGEST = Digests.of(DATA);

  @Test
  void storesUnderTheDigestAfterVerifying() throws IOException {
    BlobStore store = BlobStore.open(dir);
    Path path = store.put(DIGEST, new ByteArrayInputStream(DATA));
    assertThat(path).isEqualTo(dir.resolve("blobs/sha256/" + DIGEST.substring(7)));
    assertThat(Files.readAllBytes(path)).isEqualTo(DATA);
    assertThat(store.read(DIGEST, 100)).isEqualTo(DATA);
  }

  @Test
  void refusesBytesWithAnotherDigestAndKeepsNothing() throws IOException {
    BlobStore store = BlobStore.open(dir);
    String other = Digests.of("something else".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> store.put(other, new ByteArrayInputStream(DATA)))
        .isInstanceOfSatisfying(
            OciException.class, e -> assertThat(e.code()).isEqualTo("digest-mismatch"));
    assertThat(store.has(other)).isFalse();
    try (var tmp = Files.list(dir.resolve("tmp"))) {
      assertThat(tmp).isEmpty();
    }
  }

  @Test
  void tamperedCacheFileIsDetectedOnRead() throws IOException {
    BlobStore store = BlobStore.open(dir);
    Path path = store.put(DIGEST, new ByteArrayInputStream(DATA));
    Files.writeString(path, "tampered");
    assertThatThrownBy(() -> store.read(DIGEST, 100))
        .isInstanceOfSatisfying(
            OciException.class, e -> assertThat(e.code()).isEqualTo("digest-mismatch"));
  }

  @Test
  void concurrentFetchesOfOneBlobOpenTheSourceOnce() throws Exception {
    AtomicInteger opened = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Path>> results = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      for (int i = 0; i < 8; i++) {
        // Separate store instances over one directory, as separate workloads would have.
        BlobStore store = BlobStore.open(dir);
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return store.fetch(
                      DIGEST,
                      () -> {
                        opened.incrementAndGet();
                        return new ByteArrayInputStream(DATA);
                      });
                }));
      }
      start.countDown();
      for (Future<Path> result : results) {
        assertThat(Files.readAllBytes(result.get())).isEqualTo(DATA);
      }
    }
    assertThat(opened).hasValue(1);
  }

  @Test
  void refusesMalformedDigests() {
    BlobStore store = BlobStore.open(dir);
    assertThatThrownBy(() -> store.path("sha256:../../etc/passwd"))
        .isInstanceOf(OciException.class);
    assertThatThrownBy(() -> store.path("md5:abcd")).isInstanceOf(OciException.class);
  }
}
