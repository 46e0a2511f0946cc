package io.wetee.worker.spi;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * A file the runtime writes into the instance's private work directory before the program starts
 * (configuration; never a secret in clear: secrets reach the program through the agent). The path
 * is relative to the work directory, uses {@code /}, and has no {@code .} or {@code ..} segment.
 * Immutable: the content is copied in and out.
 */
public final class FileToWrite {
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._+@=-]{1,255}");

  private final String path;
  private final byte[] content;
  private final boolean executable;

  private FileToWrite(String path, byte[] content, boolean executable) {
    this.path = checkPath(path);
    this.content = content.clone();
    this.executable = executable;
  }

  public static FileToWrite text(String path, String content) {
    return new FileToWrite(path, content.getBytes(StandardCharsets.UTF_8), false);
  }

  public static FileToWrite bytes(String path, byte[] content, boolean executable) {
    return new FileToWrite(path, content, executable);
  }

  public String path() {
    return path;
  }

  public byte[] content() {
    return content.clone();
  }

  public boolean executable() {
    return executable;
  }

  private static String checkPath(String path) {
    if (path == null || path.isEmpty() || path.length() > 1024) {
      throw new IllegalArgumentException("file path must be 1 to 1024 characters");
    }
    for (String segment : path.split("/", -1)) {
      if (!SEGMENT.matcher(segment).matches() || segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException("file path must be relative and plain: " + path);
      }
    }
    return path;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FileToWrite f
        && f.path.equals(path)
        && f.executable == executable
        && Arrays.equals(f.content, content);
  }

  @Override
  public int hashCode() {
    return path.hashCode() * 31 + Arrays.hashCode(content) + (executable ? 1 : 0);
  }

  @Override
  public String toString() {
    return "FileToWrite[" + path + ", " + content.length + " bytes" + (executable ? ", +x]" : "]");
  }
}
