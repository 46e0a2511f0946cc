package io.wetee.worker.spi;

import java.util.regex.Pattern;

/**
 * The name of one workload instance, chosen by the caller (the reconciler) and stable for the
 * instance's whole life. The runtime uses it as a directory and cgroup name, so it is restricted to
 * lower-case letters, digits, {@code .}, {@code _} and {@code -}, 1 to 63 characters, starting with
 * a letter or digit. Two starts with the same id are one instance.
 */
public record InstanceId(String value) implements Comparable<InstanceId> {
  private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

  public InstanceId {
    if (value == null || !VALID.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "instance id must match " + VALID.pattern() + ", got " + value);
    }
  }

  public static InstanceId of(String value) {
    return new InstanceId(value);
  }

  @Override
  public int compareTo(InstanceId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
