package io.wetee.cli.chain;

import io.wetee.chain.ChainClient;
import io.wetee.chain.LevelInfo;
import io.wetee.chain.Resources;
import io.wetee.cli.Amounts;
import io.wetee.cli.Output;
import io.wetee.cli.UsageException;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code wetee subnet ...}: regions, levels and prices. */
@Command(
    name = "subnet",
    mixinStandardHelpOptions = true,
    description = "Regions, price levels and prices.",
    subcommands = {SubnetCommand.Levels.class, SubnetCommand.Prices.class})
public final class SubnetCommand {
  @Command(
      name = "levels",
      mixinStandardHelpOptions = true,
      description = "List regions and levels with prices per block.")
  static final class Levels extends ReadCommand {
    @Override
    void read(ChainClient c) {
      Map<Integer, String> regions = c.subnet().regions();
      List<LevelInfo> levels = c.subnet().levels();
      if (json) {
        Output.json(spec, Map.of("regions", regions, "levels", levels));
        return;
      }
      regions.forEach((id, name) -> Output.line(spec, "region %d  %s", id, name));
      Output.line(
          spec,
          "%-5s %-14s %-14s %-14s %-16s %-9s %s",
          "LEVEL",
          "CPU/milli",
          "MEM/MiB",
          "DISK/GiB",
          "GPU",
          "MIN STAKE",
          "MAX PER WORKLOAD");
      for (LevelInfo l : levels) {
        Output.line(
            spec,
            "%-5d %-14s %-14s %-14s %-16s %-9s %s",
            l.id(),
            l.priceCpu(),
            l.priceMemory(),
            l.priceDisk(),
            l.priceGpu(),
            Amounts.format(l.minStake()),
            String.format(
                "cpu %d, memory %d MiB, disk %d GiB, gpu %d",
                l.max().cpu(), l.max().memory(), l.max().disk(), l.max().gpu()));
      }
      Output.line(spec, "prices are wei per block per unit");
    }
  }

  @Command(
      name = "prices",
      mixinStandardHelpOptions = true,
      description = "Price per block of given resources at each level.")
  static final class Prices extends ReadCommand {
    @Option(names = "--cpu", defaultValue = "1000", description = "Milli-cores (default 1000).")
    long cpu;

    @Option(names = "--memory", defaultValue = "1024", description = "MiB (default 1024).")
    long memory;

    @Option(names = "--disk", defaultValue = "1", description = "GiB (default 1).")
    long disk;

    @Option(names = "--gpu", defaultValue = "0", description = "GPUs (default 0).")
    int gpu;

    @Override
    void validate() {
      resources();
    }

    private Resources resources() {
      try {
        return new Resources(cpu, memory, disk, gpu);
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
    }

    @Override
    void read(ChainClient c) {
      Resources r = resources();
      long interval = c.cloud().settleInterval();
      List<Map<String, Object>> rows =
          c.subnet().levels().stream()
              .map(
                  l -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("level", l.id());
                    m.put("fits", r.fitsIn(l.max()));
                    BigInteger perBlock = l.pricePerBlock(r);
                    m.put("pricePerBlock", perBlock);
                    m.put(
                        "pricePerSettleInterval", perBlock.multiply(BigInteger.valueOf(interval)));
                    return m;
                  })
              .toList();
      if (json) {
        Output.json(spec, Map.of("resources", r, "settleInterval", interval, "levels", rows));
        return;
      }
      Output.line(spec, "resources %s", r);
      for (Map<String, Object> row : rows) {
        Output.line(
            spec,
            "level %s: %s wei/block (%s per %d-block interval)%s",
            row.get("level"),
            row.get("pricePerBlock"),
            Amounts.format((BigInteger) row.get("pricePerSettleInterval")),
            interval,
            Boolean.TRUE.equals(row.get("fits")) ? "" : "  [exceeds the level's maximum]");
      }
    }
  }
}
