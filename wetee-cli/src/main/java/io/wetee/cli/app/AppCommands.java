package io.wetee.cli.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.wetee.chain.ChainClient;
import io.wetee.chain.CreateWorkload;
import io.wetee.chain.WorkloadInfo;
import io.wetee.chain.WorkloadKind;
import io.wetee.chain.contracts.Cloud;
import io.wetee.cli.Amounts;
import io.wetee.cli.ChainAccess;
import io.wetee.cli.Output;
import io.wetee.cli.UsageException;
import io.wetee.crypto.PrivateKey;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The bodies of the deployer's commands, shared by {@code wetee app} (services) and {@code wetee
 * task} (tasks): each abstract class is one command; {@link AppCommand} and {@link TaskCommand}
 * give them names and the kind.
 */
final class AppCommands {
  private AppCommands() {}

  abstract static class Base implements Runnable {
    @Spec CommandSpec spec;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    abstract WorkloadKind kind();
  }

  /** {@code deploy SPEC.yaml} / {@code task run SPEC.yaml}. */
  abstract static class Deploy extends Base {
    @Parameters(index = "0", description = "Spec file (YAML).")
    Path file;

    @Option(
        names = "--worker",
        description = "Worker id (default: the cheapest active worker with capacity).")
    Long worker;

    @Option(
        names = "--deposit",
        description = "Prepayment (default: about 10 hours of blocks, or 10 runs).")
    String deposit;

    @Option(
        names = "--run-price",
        description = "Tasks: price per run (default: 100 blocks of the resources).")
    String runPrice;

    @Override
    public void run() {
      Optional<BigInteger> dep = Optional.ofNullable(deposit).map(Amounts::parse);
      Optional<BigInteger> rp = Optional.ofNullable(runPrice).map(Amounts::parse);
      try (ChainClient c = ChainAccess.open(spec, true)) {
        Deployer.Prepared p =
            Deployer.prepare(
                c,
                file,
                Optional.ofNullable(worker),
                c.account().orElseThrow(),
                spec.commandLine().getErr());
        WorkloadKind k = p.spec().kind().equals("task") ? WorkloadKind.TASK : WorkloadKind.SERVICE;
        if (k != kind()) {
          throw new UsageException(
              "the spec is a "
                  + p.spec().kind()
                  + "; use "
                  + (k == WorkloadKind.TASK ? "wetee task run" : "wetee app deploy"));
        }
        BigInteger perBlock = p.level().pricePerBlock(p.resources());
        BigInteger run =
            k == WorkloadKind.TASK
                ? rp.orElse(perBlock.multiply(BigInteger.valueOf(100))).max(BigInteger.ONE)
                : BigInteger.ZERO;
        BigInteger amount =
            dep.orElse(
                k == WorkloadKind.TASK
                    ? run.multiply(BigInteger.TEN)
                    : perBlock.multiply(BigInteger.valueOf(36_000)));
        if (amount.signum() == 0) {
          throw new UsageException("--deposit must be more than zero");
        }
        long every =
            p.spec().task() != null
                    && p.spec().task().schedule() != null
                    && p.spec().task().schedule().everyBlocks() != null
                ? p.spec().task().schedule().everyBlocks()
                : 0;
        boolean debug = p.spec().tee() != null && Boolean.TRUE.equals(p.spec().tee().allowDebug());
        long id =
            c.cloud()
                .create(
                    new CreateWorkload(
                        p.worker().id(),
                        k,
                        p.tee(),
                        debug,
                        p.level().id(),
                        p.worker().regionId(),
                        p.resources(),
                        run,
                        every,
                        p.canonical(),
                        amount));
        if (json) {
          Output.json(spec, Map.of("workloadId", id, "workerId", p.worker().id(), "version", 1));
        } else {
          Output.line(
              spec,
              "deployed %s %d on worker %d (deposit %s)",
              kind() == WorkloadKind.TASK ? "task" : "app",
              id,
              p.worker().id(),
              Amounts.format(amount));
        }
      }
    }
  }

  abstract static class ListAll extends Base {
    @Override
    public void run() {
      try (ChainClient c = ChainAccess.open(spec, true)) {
        var all = Workloads.ofOwner(c, c.account().orElseThrow(), kind());
        if (json) {
          Output.json(spec, all.stream().map(w -> Workloads.view(c, w)).toList());
        } else {
          all.forEach(w -> Output.line(spec, Workloads.line(w)));
        }
      }
    }
  }

  abstract static class IdCommand extends Base {
    @Parameters(index = "0", description = "Workload id.")
    long id;
  }

  abstract static class Show extends IdCommand {
    @Override
    public void run() {
      try (ChainClient c = ChainAccess.open(spec, false)) {
        WorkloadInfo w = Workloads.get(c, id, kind());
        Map<String, Object> v = Workloads.view(c, w);
        if (json) {
          Output.json(spec, v);
        } else {
          v.forEach((k, x) -> Output.line(spec, "%-17s %s", k, x));
        }
      }
    }
  }

  /** Owner-signed logs, with {@code --follow}. */
  abstract static class Logs extends IdCommand {
    @Option(names = "--follow", description = "Keep printing new lines until Ctrl-C.")
    boolean follow;

    @Option(names = "--since", defaultValue = "0", description = "First chunk sequence number.")
    long since;

    @Override
    public void run() {
      try (ChainClient c = ChainAccess.open(spec, true)) {
        WorkloadInfo w = Workloads.get(c, id, kind());
        PrivateKey key = ownerKey(spec);
        WorkerClient wc = WorkerClient.of(c, w.workerId());
        long next = since;
        do {
          JsonNode logs = wc.owned(id, "logs", next, key);
          if (json) {
            Output.json(spec, logs);
          } else {
            for (JsonNode ch : logs.path("chunks")) {
              spec.commandLine().getOut().print(ch.path("text").asText(""));
            }
            spec.commandLine().getOut().flush();
          }
          next = logs.path("next").asLong(next);
          if (follow) {
            sleep();
          }
        } while (follow);
      }
    }
  }

  abstract static class Metrics extends IdCommand {
    @Override
    public void run() {
      try (ChainClient c = ChainAccess.open(spec, true)) {
        WorkloadInfo w = Workloads.get(c, id, kind());
        PrivateKey key = ownerKey(spec);
        JsonNode m = WorkerClient.of(c, w.workerId()).owned(id, "metrics", 0, key);
        if (json) {
          Output.json(spec, m);
        } else {
          for (JsonNode s : m.path("samples")) {
            Output.line(
                spec,
                "%d  cpu %d ms  rss %d bytes  processes %d  restarts %d",
                s.path("at").asLong(),
                s.path("cpuMillis").asLong(),
                s.path("rssBytes").asLong(),
                s.path("processes").asInt(),
                s.path("restarts").asInt());
          }
        }
      }
    }
  }

  abstract static class Update extends IdCommand {
    @Parameters(index = "1", description = "New spec file (YAML).")
    Path file;

    @Override
    public void run() {
      try (ChainClient c = ChainAccess.open(spec, true)) {
        WorkloadInfo w = Workloads.get(c, id, kind());
        Deployer.Prepared p =
            Deployer.prepare(
                c,
                file,
                Optional.of(w.workerId()),
                c.account().orElseThrow(),
                spec.commandLine().getErr());
        TransactionReceipt r = c.cloud().update(id, p.canonical());
        long version = Cloud.getWorkloadUpdatedEvents(r).get(0).version.longValueExact();
        if (json) {
          Output.json(spec, Map.of("workloadId", id, "version", version));
        } else {
          Output.line(spec, "updated %d to version %d", id, version);
        }
      }
    }
  }

  abstract static class Recharge extends IdCommand {
    @Parameters(index = "1", description = "Amount (e.g. 0.1 or 100gwei).")
    String amount;

    @Override
    public void run() {
      BigInteger wei = Amounts.parse(amount);
      if (wei.signum() == 0) {
        throw new UsageException("amount must be more than zero");
      }
      try (ChainClient c = ChainAccess.open(spec, true)) {
        Workloads.get(c, id, kind());
        c.cloud().recharge(id, wei);
        Output.line(
            spec,
            "recharged %d with %s; escrow now %s",
            id,
            Amounts.format(wei),
            Amounts.format(c.cloud().escrowOf(id)));
      }
    }
  }

  abstract static class Stop extends IdCommand {
    @Option(
        names = "--exhausted",
        description =
            "Stop it because its escrow cannot pay the next settle interval (a task: the next"
                + " run). Anyone may; the rest is credited to the owner (wetee app refund).")
    boolean exhausted;

    @Override
    public void run() {
      try (ChainClient c = ChainAccess.open(spec, true)) {
        WorkloadInfo w = Workloads.get(c, id, kind());
        TransactionReceipt r = exhausted ? c.cloud().stopExhausted(id) : c.cloud().stop(id);
        BigInteger refund = Cloud.getWorkloadStoppedEvents(r).get(0).refund;
        if (json) {
          Output.json(spec, Map.of("workloadId", id, "refund", refund, "byOwner", !exhausted));
        } else if (exhausted) {
          Output.line(
              spec,
              "stopped %d as exhausted; %s credited to its owner %s",
              id,
              Amounts.format(refund),
              w.owner());
        } else {
          Output.line(spec, "stopped %d; refunded %s", id, Amounts.format(refund));
        }
      }
    }
  }

  /** {@code app refund}: withdraws what exhaustion stops credited to the caller. */
  abstract static class Refund extends Base {
    @Override
    public void run() {
      try (ChainClient c = ChainAccess.open(spec, true)) {
        BigInteger due = c.cloud().refunds(c.account().orElseThrow());
        if (due.signum() == 0) {
          throw new UsageException("no refund to withdraw for " + c.account().orElseThrow());
        }
        c.cloud().withdrawRefund();
        if (json) {
          Output.json(spec, Map.of("account", c.account().orElseThrow(), "refund", due));
        } else {
          Output.line(spec, "withdrew a refund of %s", Amounts.format(due));
        }
      }
    }
  }

  abstract static class Rerun extends IdCommand {
    @Override
    public void run() {
      try (ChainClient c = ChainAccess.open(spec, true)) {
        Workloads.get(c, id, kind());
        c.cloud().rerun(id);
        Output.line(spec, "run of %d scheduled", id);
      }
    }
  }

  abstract static class Attestation extends IdCommand {
    @Override
    public void run() {
      try (ChainClient c = ChainAccess.open(spec, false)) {
        WorkloadInfo w = Workloads.get(c, id, kind());
        Output.json(spec, WorkerClient.of(c, w.workerId()).attestation(id));
      }
    }
  }

  /** The signing account's key, for owner-signed worker requests. */
  static PrivateKey ownerKey(CommandSpec spec) {
    BigInteger d = ChainAccess.credentials(spec).orElseThrow().getEcKeyPair().getPrivateKey();
    return PrivateKey.fromHex(String.format("%064x", d));
  }

  static void sleep() {
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UsageException("interrupted");
    }
  }
}
