package io.wetee.worker;

import io.wetee.common.Json;
import io.wetee.worker.spi.FileToWrite;
import io.wetee.worker.spi.InstanceId;
import io.wetee.worker.spi.LogStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Stream;

/** The state directory: one sub-directory per instance, and a lock that makes its owner unique. */
final class InstanceStore implements AutoCloseable {
  /*
   * Design notes: layout, owned by the worker (root):
   *
   *   STATE/                            0711: searchable, not listable, by sandbox uids
   *   STATE/lock                        held (flock) by the one runtime using STATE
   *   STATE/instances/                  0711
   *   STATE/instances/ID/               0711
   *   STATE/instances/ID/instance.json  0600, InstanceRecord, replaced atomically
   *   STATE/instances/ID/exit           exit status written by the supervisor ("N" or "launch")
   *   STATE/instances/ID/etc/           0755: passwd, group, hostname shown in the sandbox
   *   STATE/instances/ID/logs/          0700: stdout.log, stderr.log and their rotations
   *   STATE/instances/ID/work/          0700, owned by the instance's uid: the sandbox's /work
   *
   * The search bits exist because bwrap opens the bind sources as the instance's uid (see
   * HostPaths). Inside the sandbox none of these paths exist: only work/ and the three etc files
   * are mounted. A uid can open its own work/ and anyone's etc files, never another's work/ or any
   * logs, records or exit files by path.
   */

  private static final Set<PosixFilePermission> SEARCH_ONLY =
      PosixFilePermissions.fromString("rwx--x--x");
  private static final Set<PosixFilePermission> PRIVATE_DIR =
      PosixFilePermissions.fromString("rwx------");

  private final Path root;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private InstanceStore(Path root, FileChannel lockChannel, FileLock lock) {
    this.root = root;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  static InstanceStore open(Path stateDir) {
    try {
      Files.createDirectories(stateDir.resolve("instances"));
      Files.setPosixFilePermissions(stateDir, SEARCH_ONLY);
      Files.setPosixFilePermissions(stateDir.resolve("instances"), SEARCH_ONLY);
      FileChannel channel =
          FileChannel.open(
              stateDir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = tryLock(channel);
      if (lock == null) {
        channel.close();
        throw new WorkerException("another runtime is using the state directory " + stateDir);
      }
      return new InstanceStore(stateDir, channel, lock);
    } catch (IOException e) {
      throw new WorkerException("cannot open the state directory " + stateDir, e);
    }
  }

  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) {
      return null;
    }
  }

  Path root() {
    return root;
  }

  Path dir(InstanceId id) {
    return root.resolve("instances").resolve(id.value());
  }

  Path workDir(InstanceId id) {
    return dir(id).resolve("work");
  }

  Path etcDir(InstanceId id) {
    return dir(id).resolve("etc");
  }

  Path exitFile(InstanceId id) {
    return dir(id).resolve("exit");
  }

  Path log(InstanceId id, LogStream stream) {
    return dir(id)
        .resolve("logs")
        .resolve(stream.name().toLowerCase(java.util.Locale.ROOT) + ".log");
  }

  List<InstanceRecord> loadAll() {
    List<InstanceRecord> records = new ArrayList<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root.resolve("instances"))) {
      for (Path dir : dirs) {
        Path file = dir.resolve("instance.json");
        if (Files.isRegularFile(file)) {
          records.add(Json.strict().readValue(file.toFile(), InstanceRecord.class));
        }
      }
    } catch (IOException e) {
      throw new WorkerException("cannot read instance records under " + root, e);
    }
    records.sort(Comparator.comparing(InstanceRecord::id));
    return records;
  }

  void save(InstanceRecord record) {
    Path file = dir(record.instanceId()).resolve("instance.json");
    Path tmp = file.resolveSibling("instance.json.tmp");
    try (FileChannel out =
        FileChannel.open(
            tmp,
            Set.of(
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
      out.write(java.nio.ByteBuffer.wrap(Json.strict().writeValueAsBytes(record)));
      out.force(true);
    } catch (IOException e) {
      throw new WorkerException("cannot write " + tmp, e);
    }
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new WorkerException("the state directory must support atomic rename", e);
    } catch (IOException e) {
      throw new WorkerException("cannot replace " + file, e);
    }
  }

  /** Creates the instance's directories and the files the sandbox sees; idempotent. */
  void prepare(InstanceId id, OptionalInt uid, List<FileToWrite> files) {
    Path dir = dir(id);
    try {
      Files.createDirectories(dir.resolve("logs"));
      Files.createDirectories(etcDir(id));
      Files.createDirectories(workDir(id));
      Files.setPosixFilePermissions(dir, SEARCH_ONLY);
      Files.setPosixFilePermissions(dir.resolve("logs"), PRIVATE_DIR);
      Files.setPosixFilePermissions(etcDir(id), PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.setPosixFilePermissions(workDir(id), PRIVATE_DIR);
      int user = uid.orElse(ProcFs.effectiveUid());
      writeEtc(id, user);
      for (FileToWrite file : files) {
        writeWorkFile(workDir(id), file, uid);
      }
      if (uid.isPresent()) {
        chown(workDir(id), uid.getAsInt());
      }
    } catch (IOException e) {
      throw new WorkerException("cannot prepare the directory of instance " + id, e);
    }
  }

  private void writeEtc(InstanceId id, int user) throws IOException {
    Path etc = etcDir(id);
    Files.writeString(etc.resolve("passwd"), "app:x:" + user + ":" + user + "::/work:/bin/sh\n");
    Files.writeString(etc.resolve("group"), "app:x:" + user + ":\n");
    Files.writeString(etc.resolve("hostname"), id.value() + "\n");
  }

  private static void writeWorkFile(Path work, FileToWrite file, OptionalInt uid)
      throws IOException {
    Path target = work.resolve(file.path());
    Path parent = target.getParent();
    for (Path p = work; !p.equals(parent); ) {
      p = p.resolve(parent.getName(p.getNameCount()));
      if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectory(p);
        if (uid.isPresent()) {
          chown(p, uid.getAsInt());
        }
      }
    }
    Files.write(target, file.content());
    Files.setPosixFilePermissions(
        target, PosixFilePermissions.fromString(file.executable() ? "rwxr-x---" : "rw-r-----"));
    if (uid.isPresent()) {
      chown(target, uid.getAsInt());
    }
  }

  private static void chown(Path path, int uid) throws IOException {
    Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(path, "unix:gid", uid, LinkOption.NOFOLLOW_LINKS);
  }

  /**
   * The supervisor's exit record: the status (empty for "launch failed") and when it was written.
   */
  record ExitFile(OptionalInt code, Instant at) {}

  Optional<ExitFile> readExit(InstanceId id) {
    Path file = exitFile(id);
    try {
      String text = Files.readString(file).trim();
      Instant at = Files.getLastModifiedTime(file).toInstant();
      if (text.equals("launch")) {
        return Optional.of(new ExitFile(OptionalInt.empty(), at));
      }
      return Optional.of(new ExitFile(OptionalInt.of(Integer.parseInt(text)), at));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  void clearExit(InstanceId id) {
    try {
      Files.deleteIfExists(exitFile(id));
    } catch (IOException e) {
      throw new WorkerException("cannot clear the exit file of " + id, e);
    }
  }

  /** Deletes everything of the instance, whatever modes the program left on its files. */
  void delete(InstanceId id) {
    Path dir = dir(id);
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new WorkerException("cannot delete the directory of instance " + id, e);
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      throw new WorkerException("cannot release the state directory lock", e);
    }
  }
}
