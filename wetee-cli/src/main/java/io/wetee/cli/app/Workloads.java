package io.wetee.cli.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.wetee.chain.ChainClient;
import io.wetee.chain.ChainException;
import io.wetee.chain.WorkloadInfo;
import io.wetee.chain.WorkloadKind;
import io.wetee.chain.contracts.Cloud;
import io.wetee.cli.Amounts;
import io.wetee.cli.UsageException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.TypeEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;

/** Reads shared by the {@code app} and {@code task} commands. */
final class Workloads {
  private Workloads() {}

  /** The owner's workloads of one kind, from their WorkloadCreated events (one eth_getLogs). */
  static List<WorkloadInfo> ofOwner(ChainClient chain, String owner, WorkloadKind kind) {
    EthFilter f =
        new EthFilter(
            DefaultBlockParameter.valueOf(BigInteger.valueOf(chain.deployment().deployBlock())),
            DefaultBlockParameterName.LATEST,
            chain.deployment().address("Cloud"));
    f.addSingleTopic(EventEncoder.encode(Cloud.WORKLOADCREATED_EVENT));
    f.addSingleTopic(null);
    f.addSingleTopic("0x" + TypeEncoder.encode(new Address(owner)));
    EthLog logs;
    try {
      logs = chain.web3j().ethGetLogs(f).send();
    } catch (java.io.IOException e) {
      throw new ChainException("eth_getLogs failed: " + e.getMessage(), e);
    }
    List<WorkloadInfo> out = new ArrayList<>();
    for (EthLog.LogResult<?> r : logs.getLogs()) {
      Log l = (Log) r.get();
      long id = new BigInteger(l.getTopics().get(1).substring(2), 16).longValueExact();
      WorkloadInfo w = chain.cloud().workload(id);
      if (w.kind() == kind) {
        out.add(w);
      }
    }
    return out;
  }

  /** A workload, checked to be of {@code kind}. */
  static WorkloadInfo get(ChainClient chain, long id, WorkloadKind kind) {
    if (id < 0) {
      throw new UsageException("id must not be negative: " + id);
    }
    WorkloadInfo w = chain.cloud().workload(id);
    if (w.kind() != kind) {
      throw new UsageException(
          "workload "
              + id
              + " is a "
              + w.kind().name().toLowerCase(Locale.ROOT)
              + ", not a "
              + kind.name().toLowerCase(Locale.ROOT));
    }
    return w;
  }

  /** The view {@code show --json} prints: chain record plus what the worker says. */
  static Map<String, Object> view(ChainClient chain, WorkloadInfo w) {
    Optional<JsonNode> ws = WorkerClient.of(chain, w.workerId()).status(w.id());
    String status = w.status().name().toLowerCase(Locale.ROOT);
    String workerState = ws.map(s -> s.path("state").asText()).orElse("");
    if (w.status() != WorkloadInfo.Status.STOPPED && workerState.equals("failed")) {
      status = "failed";
    } else if (w.status() == WorkloadInfo.Status.RUNNING
        && w.kind() == WorkloadKind.SERVICE
        && workerState.equals("starting")) {
      status = "starting"; // started on chain, not yet healthy and routed
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("workloadId", w.id());
    m.put("name", w.name());
    m.put("kind", w.kind().name().toLowerCase(Locale.ROOT));
    m.put("status", status);
    m.put("version", w.version());
    m.put("url", ws.map(s -> s.path("url").asText(null)).orElse(null));
    m.put("owner", w.owner());
    m.put("workerId", w.workerId());
    m.put("instance", w.instance());
    m.put("specHash", w.specHash());
    m.put("escrow", w.escrow());
    m.put("pricePerBlock", w.pricePerBlock());
    m.put("runPrice", w.runPrice());
    m.put("lastSettledBlock", w.lastSettledBlock());
    m.put("nextRunId", w.nextRunId());
    m.put("worker", ws.orElse(null));
    return m;
  }

  static String line(WorkloadInfo w) {
    return String.format(
        "%d  %-8s v%d  %s  worker %d  escrow %s",
        w.id(),
        w.status().name().toLowerCase(Locale.ROOT),
        w.version(),
        w.name().isEmpty() ? "-" : w.name(),
        w.workerId(),
        Amounts.format(w.escrow()));
  }
}
