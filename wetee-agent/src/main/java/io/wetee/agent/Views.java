package io.wetee.agent;

import io.wetee.attestation.EvidenceType;
import io.wetee.common.Hex;
import io.wetee.secretnode.ReleaseResponse.VerdictView;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/** Builds the JSON documents of {@link AgentProtocol} from the agent's state. Stateless. */
final class Views {
  private Views() {}

  static Optional<AgentProtocol.Attestation> attestation(Agent agent) {
    return agent
        .attestation()
        .map(
            a ->
                new AgentProtocol.Attestation(
                    AgentProtocol.ATTESTATION_FORMAT,
                    agent.config.workloadId(),
                    agent.config.version(),
                    agent.config.network().chainId().toString(),
                    agent.config.network().cloud(),
                    agent.config.network().committee(),
                    agent.key.address().toString(),
                    Hex.encode0x(agent.key.publicKey().encode()),
                    a.nonce().toHex(),
                    Hex.encode0x(a.reportData().toBytes()),
                    agent.specHash.toHex(),
                    a.evidence().type() == EvidenceType.SIMULATED,
                    new AgentProtocol.EvidenceView(
                        a.evidence().type().name(),
                        a.evidence().provider(),
                        Hex.encode0x(a.evidence().bytes()),
                        Hex.encode0x(a.evidence().auxiliary())),
                    VerdictView.of(a.verdict()),
                    signatures(a)));
  }

  static AgentProtocol.Reattestation reattestation(Attestor.Attestation a) {
    return new AgentProtocol.Reattestation(VerdictView.of(a.verdict()), signatures(a));
  }

  private static List<AgentProtocol.Signature> signatures(Attestor.Attestation a) {
    return a.signatures().stream()
        .map(s -> new AgentProtocol.Signature(s.signer(), s.signature().toHex()))
        .toList();
  }

  static AgentProtocol.Status status(Agent agent) {
    AgentState s = agent.state();
    String reason = null;
    String detail = null;
    List<AgentProtocol.MemberRefusal> refusals = null;
    Integer exitCode = null;
    Boolean timedOut = null;
    switch (s) {
      case AgentState.Failed f -> {
        reason = f.reason().code();
        detail = f.detail();
        refusals =
            f.refusals().stream()
                .map(e -> new AgentProtocol.MemberRefusal(e.member(), e.reason(), e.detail()))
                .toList();
      }
      case AgentState.Finished f -> {
        exitCode = f.exitCode();
        timedOut = f.timedOut();
      }
      case AgentState.Attesting a -> {}
      case AgentState.Running r -> {}
      case AgentState.Stopped x -> {}
    }
    return new AgentProtocol.Status(
        s.code(),
        reason,
        detail,
        refusals,
        exitCode,
        timedOut,
        agent.key.address().toString(),
        agent.specHash.toHex(),
        agent.attestation().map(a -> a.verdict().expiresAt()).orElse(null),
        agent.supervisor().map(Views::program).orElse(null),
        agent.health().map(HealthChecker::last).orElse(null));
  }

  private static AgentProtocol.Program program(Supervisor sup) {
    Supervisor.View v = sup.view();
    return new AgentProtocol.Program(
        v.pid().orElse(null),
        v.restarts(),
        v.lastExitCode().orElse(null),
        v.startedAtMillis().orElse(null),
        v.pid().isPresent());
  }

  static AgentProtocol.Logs logs(LogStore store, long since, int limit) {
    List<LogStore.Chunk> chunks = store.since(since, limit);
    List<AgentProtocol.LogChunk> out =
        chunks.stream()
            .map(
                c ->
                    new AgentProtocol.LogChunk(
                        c.seq(),
                        c.stream().name().toLowerCase(java.util.Locale.ROOT),
                        c.startedAt(),
                        c.size(),
                        c.hash().toHex(),
                        c.data().map(d -> new String(d, StandardCharsets.UTF_8)).orElse(null),
                        c.data().map(d -> Base64.getEncoder().encodeToString(d)).orElse(null)))
            .toList();
    long next = chunks.isEmpty() ? Math.max(since, store.oldestKept()) : chunks.getLast().seq() + 1;
    return new AgentProtocol.Logs(out, next, store.droppedBytes());
  }

  static AgentProtocol.Metrics metrics(MetricsStore store, long since, int limit) {
    List<MetricsStore.Sample> samples = store.since(since, limit);
    List<AgentProtocol.MetricSample> out =
        samples.stream()
            .map(
                s ->
                    new AgentProtocol.MetricSample(
                        s.seq(),
                        s.atMillis(),
                        s.cpuMillis(),
                        s.rssBytes(),
                        s.processes(),
                        s.restarts(),
                        s.hash().toHex()))
            .toList();
    long next = samples.isEmpty() ? Math.max(since, store.next()) : samples.getLast().seq() + 1;
    return new AgentProtocol.Metrics(out, next);
  }
}
