package io.wetee.oci;

import java.util.ArrayList;
import java.util.List;

/** Normalises tar entry names into root-relative paths, refusing traversal. Stateless. */
final class LayerPaths {
  private LayerPaths() {}

  /**
   * The entry name without leading {@code ./}, empty and {@code .} segments and trailing slash;
   * empty for the root itself.
   *
   * @throws OciException {@code layer-refused} for an absolute name or a {@code ..} segment
   */
  static String normalize(String name) {
    if (name.startsWith("/")) {
      throw LayerUnpacker.refused("absolute path in a layer: " + name);
    }
    if (name.indexOf('\0') >= 0) {
      throw LayerUnpacker.refused("NUL byte in a layer path");
    }
    List<String> kept = new ArrayList<>();
    for (String segment : segments(name)) {
      if (segment.equals("..")) {
        throw LayerUnpacker.refused("path traversal in a layer: " + name);
      }
      if (!segment.isEmpty() && !segment.equals(".")) {
        kept.add(segment);
      }
    }
    return String.join("/", kept);
  }

  /** The non-empty '/'-separated segments of {@code path}. */
  static List<String> segments(String path) {
    List<String> out = new ArrayList<>();
    for (String segment : path.split("/")) {
      if (!segment.isEmpty()) {
        out.add(segment);
      }
    }
    return out;
  }

  static String join(String parent, String child) {
    return parent.isEmpty() ? child : parent + "/" + child;
  }
}
