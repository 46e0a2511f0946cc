package io.wetee.oci;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A separate process for {@link BlobStoreProcessesTest}: fetches one blob into a shared store with
 * a slow source that logs each time it is opened.
 */
public final class BlobFetcher {
  static final byte[] DATA = "shared between processes".getBytes(StandardCharsets.UTF_8);

  private BlobFetcher() {}

  /** Args: store directory, log file. */
  public static void main(String[] args) {
    Path log = Path.of(args[1]);
    BlobStore.open(Path.of(args[0]))
        .fetch(
            Digests.of(DATA),
            () -> {
              try {
                Files.writeString(
                    log,
                    ProcessHandle.current().pid() + "\n",
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
                Thread.sleep(1500);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return new ByteArrayInputStream(DATA);
            });
  }
}
