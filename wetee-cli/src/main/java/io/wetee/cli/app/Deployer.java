package io.wetee.cli.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wetee.attestation.TeeType;
import io.wetee.chain.ChainClient;
import io.wetee.chain.LevelInfo;
import io.wetee.chain.Resources;
import io.wetee.chain.WorkerInfo;
import io.wetee.cli.UsageException;
import io.wetee.common.spec.SpecException;
import io.wetee.common.spec.WorkloadSpec;
import io.wetee.oci.ImageRef;
import io.wetee.oci.OciException;
import io.wetee.oci.RegistryClient;
import io.wetee.worker.BundlePacker;
import io.wetee.worker.BundleRef;
import io.wetee.worker.PackResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a spec file into what {@code Cloud.create}/{@code update} take, checking everything first:
 * the spec itself ({@link SpecCheck}), the level maxima of the worker it goes to, and that every
 * secret it names exists for the owner. All problems are printed, then it fails with exit code 2
 * before any transaction. A program directory named as image is packed into a bundle next to the
 * deployment file (devnet: the worker reads it from there) and the image becomes its {@code file:}
 * URI with the digest. An OCI image reference with a tag is resolved to its digest through the
 * registry (printed), so the spec on chain is pinned.
 */
final class Deployer {
  /** What was prepared: canonical spec, resources, TEE types, the chosen worker and its level. */
  record Prepared(
      WorkloadSpec spec,
      byte[] canonical,
      Resources resources,
      Set<TeeType> tee,
      WorkerInfo worker,
      LevelInfo level) {}

  private Deployer() {}

  static Prepared prepare(
      ChainClient chain, Path file, Optional<Long> workerId, String owner, PrintWriter err) {
    SpecCheck.Result r = SpecCheck.check(file);
    List<String> problems = new ArrayList<>(r.problems());
    Set<TeeType> tee = teeTypes(r.tree());
    Optional<WorkerInfo> worker = Optional.empty();
    LevelInfo level = null;
    if (r.resources() != null) {
      List<WorkerInfo> candidates =
          workerId.isPresent()
              ? List.of(chain.subnet().worker(workerId.get()))
              : chain.subnet().workers().stream().filter(WorkerInfo::active).toList();
      if (workerId.isPresent() && !candidates.get(0).active()) {
        problems.add("--worker " + workerId.get() + ": the worker is not active");
      }
      List<String> why = new ArrayList<>();
      worker = choose(chain, candidates, r.resources(), tee, why);
      if (worker.isEmpty()) {
        problems.addAll(why.isEmpty() ? List.of("no active worker can take this workload") : why);
      } else {
        level = chain.subnet().level(worker.get().levelId());
      }
    }
    for (String name : secretNames(r.tree())) {
      if (!chain.cloud().secret(owner, name).exists()) {
        problems.add(
            "unknown secret "
                + name
                + " (put it first: wetee secret put "
                + name
                + " --value-stdin)");
      }
    }
    if (!problems.isEmpty()) {
      err.println("the spec " + file + " has " + problems.size() + " problem(s):");
      problems.forEach(p -> err.println("  - " + p));
      err.flush();
      throw new UsageException("spec refused; nothing was sent");
    }
    packImages(r.tree(), r.baseDir(), chain, err);
    WorkloadSpec spec;
    try {
      spec = WorkloadSpec.parseYaml(r.tree().toString());
    } catch (SpecException e) {
      throw new UsageException(e.getMessage());
    }
    return new Prepared(
        spec, spec.canonicalJson(), r.resources(), tee, worker.orElseThrow(), level);
  }

  private static Optional<WorkerInfo> choose(
      ChainClient chain,
      List<WorkerInfo> candidates,
      Resources need,
      Set<TeeType> tee,
      List<String> why) {
    record Offer(WorkerInfo w, BigInteger price) {}
    List<Offer> offers = new ArrayList<>();
    for (WorkerInfo w : candidates) {
      LevelInfo l = chain.subnet().level(w.levelId());
      if (!need.fitsIn(l.max())) {
        why.add(
            String.format(
                "resources cpu %dm memory %dMi disk %dGi over level %d's maximum cpu %dm memory %dMi disk %dGi (worker %d)",
                need.cpu(),
                need.memory(),
                need.disk(),
                l.id(),
                l.max().cpu(),
                l.max().memory(),
                l.max().disk(),
                w.id()));
        continue;
      }
      Resources free =
          new Resources(
              w.capacity().cpu() - w.used().cpu(),
              w.capacity().memory() - w.used().memory(),
              w.capacity().disk() - w.used().disk(),
              w.capacity().gpu() - w.used().gpu());
      if (!need.fitsIn(free)) {
        why.add("worker " + w.id() + " has no capacity left for these resources");
        continue;
      }
      if (w.teeTypes().stream().noneMatch(tee::contains)) {
        why.add("worker " + w.id() + " supports none of the spec's TEE types " + tee);
        continue;
      }
      offers.add(new Offer(w, l.pricePerBlock(need)));
    }
    return offers.stream()
        .min(Comparator.comparing(Offer::price).thenComparingLong(o -> o.w().id()))
        .map(Offer::w);
  }

  static Set<TeeType> teeTypes(JsonNode tree) {
    JsonNode types = tree.path("tee").path("types");
    if (!types.isArray() || types.isEmpty()) {
      return EnumSet.allOf(TeeType.class);
    }
    Set<TeeType> out = EnumSet.noneOf(TeeType.class);
    for (JsonNode t : types) {
      try {
        out.add(TeeType.valueOf(t.asText()));
      } catch (IllegalArgumentException e) {
        // reported by SpecCheck
      }
    }
    return out;
  }

  private static Set<String> secretNames(JsonNode tree) {
    Set<String> names = new java.util.TreeSet<>();
    for (JsonNode c : tree.path("containers")) {
      c.path("secretEnv").forEach(v -> names.add(v.asText()));
      c.path("files").forEach(f -> names.add(f.path("secret").asText()));
    }
    names.remove("");
    return names;
  }

  private static void packImages(ObjectNode tree, Path base, ChainClient chain, PrintWriter err) {
    for (JsonNode c : tree.path("containers")) {
      String image = c.path("image").asText();
      if (BundleRef.isBundle(image)) {
        continue;
      }
      Path dir = base.resolve(image).normalize();
      if (!Files.isDirectory(dir)) {
        ((ObjectNode) c).put("image", pin(image, err));
        continue;
      }
      Path out = bundlesDir();
      try {
        Files.createDirectories(out);
        Path tmp = Files.createTempFile(out, "bundle-", ".tar.gz");
        PackResult res = BundlePacker.pack(dir, tmp);
        if (res instanceof PackResult.Refused ref) {
          Files.deleteIfExists(tmp);
          throw new UsageException(
              "cannot pack " + dir + ": " + ref.reason().code() + ": " + ref.detail());
        }
        PackResult.Packed p = (PackResult.Packed) res;
        Path target = out.resolve(p.sha256() + ".tar.gz");
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(
            target, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        ((ObjectNode) c).put("image", p.refAt(target.toUri()).toString());
      } catch (IOException e) {
        throw new UsageException("cannot pack " + dir + ": " + e.getMessage());
      }
    }
  }

  /**
   * An OCI reference pinned by digest: a tag is resolved through its registry now, so the spec on
   * chain names content that can never change (the worker refuses unpinned references). Prints the
   * resolution.
   */
  static String pin(String image, PrintWriter err) {
    ImageRef ref = ImageRef.parse(image);
    if (ref.isPinned()) {
      return ref.toString();
    }
    try {
      ImageRef pinned = ref.withDigest(RegistryClient.create().resolve(ref));
      err.println("image " + image + " resolved to " + pinned);
      err.flush();
      return pinned.toString();
    } catch (OciException e) {
      throw new UsageException("cannot resolve the image " + image + ": " + e.getMessage());
    }
  }

  /**
   * Where packed bundles go: {@code -Dwetee.bundles}, {@code WETEE_BUNDLES}, else the devnet
   * directory's bundles/.
   */
  private static Path bundlesDir() {
    String env = System.getProperty("wetee.bundles", System.getenv("WETEE_BUNDLES"));
    return env != null && !env.isBlank()
        ? Path.of(env)
        : io.wetee.cli.Home.devnetDir().resolve("bundles");
  }
}
