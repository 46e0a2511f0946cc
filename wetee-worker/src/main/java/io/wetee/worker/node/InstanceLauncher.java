package io.wetee.worker.node;

import io.wetee.chain.WorkloadInfo;
import io.wetee.common.Hex;
import io.wetee.common.spec.SpecException;
import io.wetee.common.spec.WorkloadSpec;
import io.wetee.crypto.Keccak;
import io.wetee.oci.ImageStore;
import io.wetee.oci.OciException;
import io.wetee.oci.PulledImage;
import io.wetee.oci.RegistryClient;
import io.wetee.secretnode.CommitteeKeys;
import io.wetee.secretnode.SecretClient;
import io.wetee.worker.BundleRef;
import io.wetee.worker.FetchResult;
import io.wetee.worker.spi.LaunchSpec;
import io.wetee.worker.spi.StartResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Launches the instance of a placement: spec from the events (checked against the on-chain hash),
 * bundle fetched and verified (a wrong digest never starts), program directory composed, agent
 * config written, sandbox started. Idempotent: launching a placement whose instance exists is
 * answered by the runtime as {@code Existing}.
 *
 * <p>A container whose {@code image} is not a bundle URI is an OCI image reference: it must be
 * pinned by digest ({@code repo@sha256:...}); the image is pulled through the worker's shared cache
 * ({@code dataDir/images}), every manifest, config and layer digest verified, before anything
 * starts. An unpinned, malformed or unpullable reference, or content that does not match its
 * digest, is refused with {@code image-refused} and the OCI reason code; the instance never starts.
 * The placement's {@code bundle} then holds the pinned reference, and a relaunch pulls it again
 * from the cache. The instance runs in the image with runc ({@link ImageLaunch}).
 */
final class InstanceLauncher {
  static final String IMAGE_REFUSED = "image-refused";

  /** A launch that happened (or already had), or why not (a stable reason code). */
  sealed interface Outcome {
    record Launched(Placement placement) implements Outcome {}

    record Refused(String reason, String detail) implements Outcome {}
  }

  /** A parsed spec with its bytes. */
  record Spec(byte[] bytes, WorkloadSpec parsed) {}

  private final WorkerContext ctx;
  private final ImageStore images;

  InstanceLauncher(WorkerContext ctx) {
    this.ctx = ctx;
    this.images =
        ImageStore.open(ctx.config().dataDir().resolve("images"), RegistryClient.create());
  }

  /** The workload's current spec, from the events seen (checked against the on-chain hash). */
  Optional<Spec> spec(WorkloadInfo w) {
    Optional<byte[]> bytes = ctx.state().spec(w.specHash());
    if (bytes.isEmpty()
        || !Hex.encode0x(Keccak.hash(bytes.get()).toBytes()).equalsIgnoreCase(w.specHash())) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Spec(bytes.get(), WorkloadSpec.parseJson(bytes.get())));
    } catch (SpecException e) {
      return Optional.empty();
    }
  }

  /** Places and launches a new instance of the workload (a task run when {@code runId >= 0}). */
  Outcome launch(WorkloadInfo w, long runId) {
    Optional<Spec> spec = spec(w);
    if (spec.isEmpty()) {
      return new Outcome.Refused("invalid-spec", "no valid spec with hash " + w.specHash());
    }
    String image = spec.get().parsed().containers().get(0).image();
    if (!BundleRef.isBundle(image)) {
      return launchImage(w, runId, spec.get(), image);
    }
    BundleRef ref;
    try {
      ref = BundleRef.parse(image);
    } catch (IllegalArgumentException e) {
      return new Outcome.Refused("bundle-refused", e.getMessage());
    }
    Path root;
    switch (ctx.bundles().fetch(ref)) {
      case FetchResult.Ready r -> root = r.root();
      case FetchResult.Refused r -> {
        return new Outcome.Refused("bundle-refused", r.reason().code() + ": " + r.detail());
      }
    }
    Placement p =
        ctx.planner()
            .place(w, runId, spec.get().bytes(), spec.get().parsed(), ref.sha256(), ctx.quoting());
    ctx.state().putPlacement(p);
    return start(p, w, spec.get(), Optional.empty(), ctx.staging().appDir(p.bundle(), root));
  }

  private Outcome launchImage(WorkloadInfo w, long runId, Spec spec, String image) {
    PulledImage pulled;
    try {
      pulled = pull(image);
    } catch (OciException e) {
      return new Outcome.Refused(IMAGE_REFUSED, e.code() + ": " + e.getMessage());
    }
    Placement p =
        ctx.planner()
            .place(w, runId, spec.bytes(), spec.parsed(), pulled.ref().toString(), ctx.quoting());
    ctx.state().putPlacement(p);
    return start(p, w, spec, Optional.of(pulled), agentOnly(pulled));
  }

  /**
   * The program directory of an image instance: the agent alone, composed (hard links) once per
   * image like a bundle's, so that it outlives the worker's restaging of its class path and stays
   * valid for adopted instances. Mounted read-only at {@code /.wetee/app}.
   */
  private Path agentOnly(PulledImage image) {
    Path empty = ctx.config().dataDir().resolve("images").resolve("empty");
    try {
      java.nio.file.Files.createDirectories(empty);
    } catch (java.io.IOException e) {
      throw new io.wetee.worker.WorkerException("cannot create " + empty, e);
    }
    String hex = image.manifestDigest().substring("sha256:".length());
    return ctx.staging().appDir("oci-" + hex, empty);
  }

  private PulledImage pull(String image) {
    return ImageLaunch.pull(images, image);
  }

  /** Starts the placement's instance again if the runtime does not know it (idempotent). */
  Outcome relaunch(Placement p, WorkloadInfo w) {
    Optional<Spec> spec = spec(w);
    if (spec.isPresent() && !BundleRef.isBundle(spec.get().parsed().containers().get(0).image())) {
      try {
        PulledImage pulled = pull(p.bundle());
        return start(p, w, spec.get(), Optional.of(pulled), agentOnly(pulled));
      } catch (OciException e) {
        return new Outcome.Refused(IMAGE_REFUSED, e.code() + ": " + e.getMessage());
      }
    }
    Optional<Path> root = ctx.bundles().find(p.bundle());
    if (spec.isEmpty() || root.isEmpty()) {
      return new Outcome.Refused("invalid-spec", "spec or bundle of " + p.id() + " is gone");
    }
    return start(p, w, spec.get(), Optional.empty(), ctx.staging().appDir(p.bundle(), root.get()));
  }

  private Outcome start(
      Placement p, WorkloadInfo w, Spec spec, Optional<PulledImage> image, Path app) {
    List<SecretClient.Member> members = SecretClient.members(ctx.chain());
    CommitteeKeys.EpochPublicKey key =
        CommitteeKeys.active(ctx.chain())
            .orElseThrow(() -> new io.wetee.worker.WorkerException("the committee has no key yet"));
    LaunchSpec ls =
        ctx.planner()
            .launchSpec(
                p,
                w,
                spec.bytes(),
                spec.parsed(),
                app,
                ctx.quotingUrl(),
                members,
                key.key().threshold(),
                Hex.encode0x(key.key().groupKey().encode()));
    if (image.isPresent()) {
      ls = ImageLaunch.adapt(ls, image.get(), app, !ctx.planner().mode().cluster());
    }
    return switch (ctx.runtime().start(ls)) {
      case StartResult.Started s -> new Outcome.Launched(p);
      case StartResult.Existing s -> new Outcome.Launched(p);
      case StartResult.Refused r ->
          new Outcome.Refused("start-refused", r.reason().code() + ": " + r.detail());
    };
  }
}
