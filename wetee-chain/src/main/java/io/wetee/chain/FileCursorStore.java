package io.wetee.chain;

import io.wetee.common.Json;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Stores cursors as JSON files {@code DIR/LISTENER.cursor.json}. A save writes a temporary file,
 * forces it to disk and renames it over the old one, so a crash leaves the old or the new cursor.
 */
public final class FileCursorStore implements CursorStore {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,100}");
  private final Path dir;

  public FileCursorStore(Path dir) {
    this.dir = dir;
  }

  @Override
  public Optional<FollowCursor> load(String listenerId) {
    Path file = file(listenerId);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Json.strict().readValue(file.toFile(), FollowCursor.class));
    } catch (IOException e) {
      throw new ChainException("cannot read cursor " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void save(String listenerId, FollowCursor cursor) {
    Path file = file(listenerId);
    try {
      Files.createDirectories(dir);
      Path tmp = dir.resolve(file.getFileName() + ".tmp");
      try (FileChannel ch =
          FileChannel.open(
              tmp,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE)) {
        ch.write(java.nio.ByteBuffer.wrap(Json.strict().writeValueAsBytes(cursor)));
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new ChainException("cannot write cursor " + file + ": " + e.getMessage(), e);
    }
  }

  private Path file(String listenerId) {
    if (!ID.matcher(listenerId).matches()) {
      throw new IllegalArgumentException("listener id must match " + ID + ": " + listenerId);
    }
    return dir.resolve(listenerId + ".cursor.json");
  }
}
