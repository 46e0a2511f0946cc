package io.wetee.worker;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/** Entry-name and symlink rules shared by the unpacker and the packer. */
final class BundlePaths {
  /*
   * Design notes: names are checked lexically (relative, no "..", no empty or over-long segment).
   * Symlinks cannot be checked one by one: "l -> ." and "c -> l/../x" each look harmless, yet c
   * resolves to the bundle root's parent, because the kernel applies ".." to the link's target, not
   * to the name. So, once every entry is known, each link is resolved the way the kernel would,
   * following the bundle's own links (at most 40 hops, the kernel's limit), and refused if any
   * step climbs above the root. Components that do not exist in the bundle are taken literally.
   */

  static final int MAX_PATH = 4096;
  private static final int MAX_SEGMENT = 255;
  private static final int MAX_HOPS = 40;

  private BundlePaths() {}

  /**
   * The canonical form of a tar entry name ({@code ./a//b/} becomes {@code a/b}); empty for the
   * archive's root entry.
   */
  static String normalize(String raw) throws BundleRejected {
    if (raw.startsWith("/")) {
      throw new BundleRejected(BundleRefusal.UNSAFE_PATH, "absolute entry name: " + raw);
    }
    if (raw.length() > MAX_PATH) {
      throw new BundleRejected(BundleRefusal.UNSAFE_PATH, "entry name over 4096 bytes");
    }
    List<String> parts = new ArrayList<>();
    for (String segment : raw.split("/")) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..") || segment.length() > MAX_SEGMENT) {
        throw new BundleRejected(BundleRefusal.UNSAFE_PATH, "unsafe entry name: " + raw);
      }
      parts.add(segment);
    }
    return String.join("/", parts);
  }

  /** Refuses any link (name to target) that is absolute or resolves outside the root. */
  static void checkLinks(Map<String, String> links) throws BundleRejected {
    for (Map.Entry<String, String> link : links.entrySet()) {
      if (link.getValue().isEmpty() || link.getValue().startsWith("/")) {
        throw new BundleRejected(
            BundleRefusal.UNSAFE_LINK,
            "symlink " + link.getKey() + " -> " + link.getValue() + " must be relative");
      }
    }
    for (String name : links.keySet()) {
      resolve(name, links);
    }
  }

  private static void resolve(String name, Map<String, String> links) throws BundleRejected {
    Deque<String> path = new ArrayDeque<>(segments(name));
    path.removeLast(); // the link's own directory
    Deque<String> todo = new ArrayDeque<>(segments(links.get(name)));
    int hops = 0;
    while (!todo.isEmpty()) {
      String segment = todo.removeFirst();
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        if (path.isEmpty()) {
          throw escape(name, links);
        }
        path.removeLast();
        continue;
      }
      path.addLast(segment);
      String target = links.get(String.join("/", path));
      if (target != null) {
        if (++hops > MAX_HOPS || target.startsWith("/")) {
          throw escape(name, links);
        }
        path.removeLast();
        List<String> expansion = segments(target);
        for (int i = expansion.size() - 1; i >= 0; i--) {
          todo.addFirst(expansion.get(i));
        }
      }
    }
  }

  private static BundleRejected escape(String name, Map<String, String> links) {
    return new BundleRejected(
        BundleRefusal.UNSAFE_LINK,
        "symlink " + name + " -> " + links.get(name) + " resolves outside the bundle");
  }

  private static List<String> segments(String path) {
    return List.of(path.split("/"));
  }
}
