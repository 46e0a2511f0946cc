package io.wetee.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class BundlePropertiesTest {

  @Provide
  Arbitrary<Map<String, String>> trees() {
    Arbitrary<String> segment =
        Arbitraries.strings()
            .withChars("abcxyz._-é€")
            .ofMinLength(1)
            .ofMaxLength(70)
            .filter(s -> !s.equals(".") && !s.equals(".."));
    Arbitrary<String> name = segment.list().ofMinSize(1).ofMaxSize(3).map(l -> String.join("/", l));
    return Arbitraries.maps(name, Arbitraries.strings().ofMaxLength(300))
        .ofMaxSize(12)
        .filter(BundlePropertiesTest::noFileIsAlsoADirectory);
  }

  private static boolean noFileIsAlsoADirectory(Map<String, String> tree) {
    return tree.keySet().stream()
        .noneMatch(a -> tree.keySet().stream().anyMatch(b -> b.startsWith(a + "/")));
  }

  @Property(tries = 40)
  void anyTreeSurvivesPackAndUnpackUnchanged(@ForAll("trees") Map<String, String> tree)
      throws IOException {
    Path work = Files.createTempDirectory("bundle-prop");
    try {
      Path program = Files.createDirectories(work.resolve("program"));
      for (Map.Entry<String, String> file : tree.entrySet()) {
        Path target = program.resolve(file.getKey());
        Files.createDirectories(target.getParent());
        Files.writeString(target, file.getValue());
      }
      PackResult.Packed packed =
          (PackResult.Packed) BundlePacker.pack(program, work.resolve("b.tar.gz"));
      FetchResult.Ready ready =
          (FetchResult.Ready) BundleCache.open(work.resolve("cache")).fetch(packed.fileRef());

      assertThat(files(ready.root())).isEqualTo(new TreeMap<>(tree));
    } finally {
      try (Stream<Path> walk = Files.walk(work)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  @Property
  void normalisedNamesNeverClimbOrStartAtTheRoot(@ForAll("rawNames") String raw) {
    try {
      String name = BundlePaths.normalize(raw);
      assertThat(name).doesNotStartWith("/");
      assertThat(name.split("/")).doesNotContain("..", ".");
    } catch (BundleRejected e) {
      assertThat(e.reason()).isEqualTo(BundleRefusal.UNSAFE_PATH);
    }
  }

  @Provide
  Arbitrary<String> rawNames() {
    return Arbitraries.of("a", "..", ".", "", "/", "b/c")
        .list()
        .ofMaxSize(6)
        .map(l -> String.join("/", l));
  }

  private static Map<String, String> files(Path root) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        files.put(root.relativize(p).toString(), Files.readString(p, StandardCharsets.UTF_8));
      }
    }
    return files;
  }
}
