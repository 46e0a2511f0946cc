package io.wetee.oci;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A parsed image reference {@code host[:port]/path[:tag][@sha256:<64 hex>]}.
 *
 * <p>Short names follow Docker's rules: a first path component is a registry host only if it
 * contains a dot or a colon or is {@code localhost}; otherwise the registry is {@code docker.io}
 * and a one-component name gets the {@code library/} prefix ({@code busybox} is {@code
 * docker.io/library/busybox}). A reference without tag and digest means tag {@code latest} when
 * resolved. Only sha256 digests are accepted. Immutable and thread-safe.
 *
 * @param registry the registry host with an optional port, for example {@code 127.0.0.1:5000}
 * @param repository the repository path, for example {@code library/busybox}
 * @param tag the tag, if the reference has one
 * @param digestValue the pinned digest, if the reference has one
 */
public record ImageRef(
    String registry, String repository, Optional<String> tag, Optional<String> digestValue) {
  /*
   * Design notes: the grammar is the one of the distribution project's reference package (path
   * components of lower-case alphanumerics joined by '.', '_', '__' or dashes; tags of at most 128
   * word characters, dots and dashes, not starting with either), written out here so that every
   * refusal can say which part is wrong.
   */
  /** The registry short names without a host resolve to. */
  public static final String DOCKER_HUB = "docker.io";

  private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final Pattern HOST =
      Pattern.compile(
          "(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*"
              + "|\\[[0-9A-Fa-f:.]+\\])(?::[0-9]{1,5})?");
  private static final int MAX_NAME = 255;

  /** Validates the parts; use {@link #parse} for text. */
  public ImageRef {
    if (registry == null || !HOST.matcher(registry).matches()) {
      throw bad("invalid registry host '" + registry + "'");
    }
    if (repository == null || repository.isEmpty()) {
      throw bad("empty repository");
    }
    for (String component : repository.split("/", -1)) {
      if (!COMPONENT.matcher(component).matches()) {
        throw bad(
            "invalid repository path component '"
                + component
                + "' (lower-case letters, digits and separators . _ __ -)");
      }
    }
    if (registry.length() + 1 + repository.length() > MAX_NAME) {
      throw bad("name longer than " + MAX_NAME + " characters");
    }
    tag = tag == null ? Optional.empty() : tag;
    digestValue = digestValue == null ? Optional.empty() : digestValue;
    tag.ifPresent(
        t -> {
          if (!TAG.matcher(t).matches()) {
            throw bad("invalid tag '" + t + "'");
          }
        });
    digestValue.ifPresent(
        d -> {
          if (!Digests.isValid(d)) {
            throw bad("invalid digest '" + d + "' (expected sha256:<64 lower-case hex>)");
          }
        });
  }

  /**
   * Parses a reference.
   *
   * @throws OciException with code {@code bad-reference} saying which part is invalid
   */
  public static ImageRef parse(String text) {
    if (text == null || text.isBlank()) {
      throw bad("empty image reference");
    }
    String rest = text.strip();
    Optional<String> digest = Optional.empty();
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = Optional.of(rest.substring(at + 1));
      rest = rest.substring(0, at);
    }
    Optional<String> tag = Optional.empty();
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      tag = Optional.of(rest.substring(colon + 1));
      rest = rest.substring(0, colon);
    }
    String registry = DOCKER_HUB;
    String repository = rest;
    int slash = rest.indexOf('/');
    if (slash > 0) {
      String first = rest.substring(0, slash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
        registry = first;
        repository = rest.substring(slash + 1);
      }
    }
    if (registry.equals(DOCKER_HUB) && !repository.contains("/")) {
      repository = "library/" + repository;
    }
    return new ImageRef(registry, repository, tag, digest);
  }

  /** Whether the reference names a digest, so that its content can never change. */
  public boolean isPinned() {
    return digestValue.isPresent();
  }

  /** The pinned digest ({@code sha256:<hex>}), if any. */
  public Optional<String> digest() {
    return digestValue;
  }

  /** The same repository pinned to {@code digest}, keeping the tag for display. */
  public ImageRef withDigest(String digest) {
    return new ImageRef(registry, repository, tag, Optional.of(digest));
  }

  /** The same repository with {@code newTag} and no digest. */
  public ImageRef withTag(String newTag) {
    return new ImageRef(registry, repository, Optional.of(newTag), Optional.empty());
  }

  /** What a manifest request names: the digest when pinned, else the tag (default latest). */
  public String manifestReference() {
    return digestValue.orElseGet(() -> tag.orElse("latest"));
  }

  /** The canonical text form {@code registry/repository[:tag][@digest]}. */
  @Override
  public String toString() {
    return registry
        + "/"
        + repository
        + tag.map(t -> ":" + t).orElse("")
        + digestValue.map(d -> "@" + d).orElse("");
  }

  private static OciException bad(String detail) {
    return new OciException(OciException.Reason.BAD_REFERENCE, detail);
  }
}
