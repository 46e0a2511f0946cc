package io.wetee.cli.chain;

import io.wetee.attestation.TeeType;
import io.wetee.chain.Resources;
import io.wetee.chain.TeeTypes;
import io.wetee.chain.WorkerSpec;
import io.wetee.cli.UsageException;
import java.net.URI;
import java.util.Set;
import picocli.CommandLine.Option;

/** The options that declare a worker, shared by {@code register} and {@code update}. */
final class WorkerOptions {
  @Option(names = "--name", required = true, description = "Display name.")
  String name;

  @Option(names = "--endpoint", required = true, description = "Public URL of the worker.")
  String endpoint;

  @Option(names = "--region", required = true, description = "Region id.")
  int region;

  @Option(names = "--level", required = true, description = "Price level id.")
  int level;

  @Option(
      names = "--tee",
      required = true,
      description = "TEE types, e.g. TDX,SEV_SNP or SIMULATED.")
  String tee;

  @Option(names = "--cpu", required = true, description = "CPU capacity in milli-cores.")
  long cpu;

  @Option(names = "--memory", required = true, description = "Memory capacity in MiB.")
  long memory;

  @Option(names = "--disk", required = true, description = "Disk capacity in GiB.")
  long disk;

  @Option(names = "--gpu", defaultValue = "0", description = "GPUs.")
  int gpu;

  /** Validates everything before any transaction. */
  WorkerSpec toSpec() {
    if (name.isBlank() || name.length() > 64) {
      throw new UsageException("--name must be 1 to 64 characters");
    }
    checkEndpoint(endpoint);
    if (region < 0 || region > 0xFFFF || level < 0 || level > 0xFFFF) {
      throw new UsageException("--region and --level must be between 0 and 65535");
    }
    Set<TeeType> types;
    try {
      types = TeeTypes.parse(tee);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--tee: " + e.getMessage());
    }
    if (cpu <= 0 || memory <= 0 || disk <= 0) {
      throw new UsageException("--cpu, --memory and --disk must be positive");
    }
    try {
      return new WorkerSpec(
          name, endpoint, region, level, types, new Resources(cpu, memory, disk, gpu));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  static void checkEndpoint(String endpoint) {
    try {
      URI uri = URI.create(endpoint);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          || uri.getHost() == null) {
        throw new UsageException("--endpoint must be an http(s) URL with a host: " + endpoint);
      }
    } catch (IllegalArgumentException e) {
      throw new UsageException("--endpoint is not a URL: " + endpoint);
    }
  }
}
