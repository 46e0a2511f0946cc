package io.wetee.oci;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two JVMs fetching the same blob into one store: the file lock lets one of them download it. */
class BlobStoreProcessesTest {
  @TempDir Path dir;

  @Test
  void twoProcessesFetchingOneBlobDownloadItOnce() throws Exception {
    Path log = dir.resolve("opened.log");
    Path store = dir.resolve("store");
    String java = ProcessHandle.current().info().command().orElse("java");
    List<Process> processes = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      processes.add(
          new ProcessBuilder(
                  java,
                  "-cp",
                  System.getProperty("java.class.path"),
                  BlobFetcher.class.getName(),
                  store.toString(),
                  log.toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("out-" + i + ".log").toFile())
              .start());
    }
    for (Process process : processes) {
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).isZero();
    }
    assertThat(Files.readAllLines(log)).hasSize(1);
    assertThat(BlobStore.open(store).read(Digests.of(BlobFetcher.DATA), 1024))
        .isEqualTo(BlobFetcher.DATA);
  }
}
