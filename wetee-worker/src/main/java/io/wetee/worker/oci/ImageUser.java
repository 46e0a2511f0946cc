package io.wetee.worker.oci;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The user and group an image's program runs as inside its instance, resolved from the image
 * config's {@code User} field.
 *
 * <p>Design notes (OCI image-spec config.md, {@code User}): the forms are {@code user}, {@code
 * uid}, {@code user:group}, {@code uid:gid}, {@code uid:group} and {@code user:gid}; an empty field
 * is root (0:0). Names are looked up in the image's own {@code /etc/passwd} and {@code /etc/group},
 * read from the unpacked root without following any symlink (a link could point out of the image
 * into the worker's files): a linked or missing file counts as absent. Without a group, the user's
 * primary gid from {@code passwd} applies (0 for a numeric uid that {@code passwd} does not list).
 * An unknown name or a malformed field is an error naming it, never a silent fallback to root.
 * Supplementary groups are not resolved: the instance's user namespace maps one gid only.
 *
 * @param uid the uid inside the instance
 * @param gid the primary gid inside the instance
 */
public record ImageUser(int uid, int gid) {
  /** Root inside the instance: the user of an image whose {@code User} is empty. */
  public static final ImageUser ROOT = new ImageUser(0, 0);

  /** Largest account file read from an image; larger ones are refused rather than read. */
  private static final long MAX_FILE = 1 << 20;

  /** Checks the ids are valid (non-negative). */
  public ImageUser {
    if (uid < 0 || gid < 0) {
      throw new IllegalArgumentException("uid and gid must be >= 0: " + uid + ":" + gid);
    }
  }

  /**
   * Resolves an image's {@code User} against its unpacked root filesystem.
   *
   * @param user the {@code User} field as the image config has it ({@code ""} for root)
   * @param rootfs the unpacked image root on the host
   * @throws IllegalArgumentException naming the field when it is malformed or names a user or group
   *     the image does not define
   */
  public static ImageUser resolve(String user, Path rootfs) {
    if (user.isEmpty()) {
      return ROOT;
    }
    int colon = user.indexOf(':');
    String userPart = colon < 0 ? user : user.substring(0, colon);
    Optional<String> groupPart =
        colon < 0 ? Optional.empty() : Optional.of(user.substring(colon + 1));
    if (userPart.isEmpty() || groupPart.map(g -> g.isEmpty() || g.contains(":")).orElse(false)) {
      throw new IllegalArgumentException("image User \"" + user + "\" is malformed");
    }
    OptionalInt numericUid = number(userPart, user);
    List<String[]> passwd =
        numericUid.isPresent() && groupPart.isPresent()
            ? List.of()
            : entries(rootfs, "passwd", user);
    int uid;
    int primaryGid = 0;
    if (numericUid.isPresent()) {
      uid = numericUid.getAsInt();
      for (String[] e : passwd) {
        if (e.length > 3 && e[2].equals(Integer.toString(uid))) {
          primaryGid = number(e[3], user).orElse(0);
          break;
        }
      }
    } else {
      String[] entry = named(passwd, userPart, 4, user, "user", "passwd");
      uid = parseField(entry[2], user, "uid");
      primaryGid = parseField(entry[3], user, "gid");
    }
    if (groupPart.isEmpty()) {
      return new ImageUser(uid, primaryGid);
    }
    String group = groupPart.get();
    OptionalInt numericGid = number(group, user);
    if (numericGid.isPresent()) {
      return new ImageUser(uid, numericGid.getAsInt());
    }
    String[] entry = named(entries(rootfs, "group", user), group, 3, user, "group", "group");
    return new ImageUser(uid, parseField(entry[2], user, "gid"));
  }

  /** The entry named {@code name} with at least {@code fields} fields, else a clear error. */
  private static String[] named(
      List<String[]> entries, String name, int fields, String user, String what, String file) {
    return entries.stream()
        .filter(e -> e[0].equals(name) && e.length >= fields)
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "image User \""
                        + user
                        + "\": no "
                        + what
                        + " \""
                        + name
                        + "\" in the image's /etc/"
                        + file));
  }

  /** A decimal id, empty when {@code s} is not all digits; too large is an error. */
  private static OptionalInt number(String s, String user) {
    if (s.isEmpty() || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return OptionalInt.empty();
    }
    if (s.length() > 10 || Long.parseLong(s) > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("image User \"" + user + "\": id " + s + " is too large");
    }
    return OptionalInt.of(Integer.parseInt(s));
  }

  private static int parseField(String s, String user, String what) {
    return number(s, user)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "image User \""
                        + user
                        + "\": the image's "
                        + what
                        + " \""
                        + s
                        + "\" is not a number"));
  }

  /** The colon-separated lines of {@code /etc/<name>} in the image; empty when absent. */
  private static List<String[]> entries(Path rootfs, String name, String user) {
    Path etc = rootfs.resolve("etc");
    Path file = etc.resolve(name);
    if (!Files.isDirectory(etc, LinkOption.NOFOLLOW_LINKS)
        || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return List.of();
    }
    try {
      if (Files.size(file) > MAX_FILE) {
        throw new IllegalArgumentException(
            "image User \"" + user + "\": the image's /etc/" + name + " is over 1 MiB");
      }
      // The checks above and this read race only with the worker itself: the image is immutable.
      return new String(Files.readAllBytes(file), StandardCharsets.UTF_8)
          .lines()
          .filter(l -> !l.isBlank() && !l.startsWith("#"))
          .map(l -> l.split(":", -1))
          .toList();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "image User \"" + user + "\": cannot read the image's /etc/" + name + ": " + e, e);
    }
  }
}
