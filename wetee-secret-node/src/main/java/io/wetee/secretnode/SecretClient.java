package io.wetee.secretnode;

import com.fasterxml.jackson.databind.JsonNode;
import io.wetee.chain.ChainClient;
import io.wetee.chain.CommitteeClient.SignedBy;
import io.wetee.chain.CommitteeInfo;
import io.wetee.chain.Deployment;
import io.wetee.chain.SecretNodeInfo;
import io.wetee.common.Hex;
import io.wetee.common.Json;
import io.wetee.crypto.Address;
import io.wetee.crypto.CommitteeKey;
import io.wetee.crypto.EciesCiphertext;
import io.wetee.crypto.EthSignature;
import io.wetee.crypto.Point;
import io.wetee.crypto.PrivateKey;
import io.wetee.crypto.SecretBinding;
import io.wetee.crypto.SecretCipher;
import io.wetee.crypto.SecretCiphertext;
import io.wetee.crypto.Verdict;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The client side of the secret network, for the agent and the CLI: encrypt a secret to the group
 * key, find the committee, read its key, and release secrets.
 *
 * <p>Release: asks q members at once (virtual threads, one HTTP request each, with a timeout). The
 * thread that gets an answer checks it at once (member and index, verdict fields and signature, the
 * shares opened with the instance key and their batched DLEQ proof: {@link ReleaseCheck#precheck}),
 * so answers are verified while other members are still working; an answer that is a refusal, a
 * timeout, or fails a check is skipped and the next member is asked. Once q answers are valid, the
 * shares are combined and each secret decrypted. With fewer than q valid answers it fails closed,
 * saying what each member did. Thread-safe.
 */
public final class SecretClient {
  /** A committee member as the client reaches it. Index is 1-based committee order. */
  public record Member(int index, String address, String endpoint) {}

  /** The deployment values bound into report_data, secrets and verdicts. */
  public record Network(BigInteger chainId, Address cloud, Address committee) {
    public static Network of(Deployment d) {
      return new Network(
          BigInteger.valueOf(d.chainId()),
          Address.fromHex(d.address("Cloud")),
          Address.fromHex(d.address("Committee")));
    }
  }

  private final HttpClient http;
  private final Duration timeout;

  /** Members' verdict-signing keys learnt by recovery (public; see {@link ReleaseCheck}). */
  private final Map<String, Point> signerKeys = new java.util.concurrent.ConcurrentHashMap<>();

  private SecretClient(HttpClient http, Duration timeout) {
    this.http = http;
    this.timeout = timeout;
  }

  /** A client whose every request gives up after {@code timeout}. */
  public static SecretClient create(Duration timeout) {
    return new SecretClient(
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .build(),
        timeout);
  }

  /**
   * A client over an existing HTTP client (a process that already has one need not start another);
   * every request gives up after {@code timeout}.
   */
  public static SecretClient create(HttpClient http, Duration timeout) {
    return new SecretClient(http, timeout);
  }

  /** Encrypts a secret value to the committee's group key under its binding (DESIGN §4). */
  public static SecretCiphertext encrypt(Point groupKey, SecretBinding binding, byte[] value) {
    return SecretCipher.encrypt(groupKey, binding, value, new SecureRandom());
  }

  /** The current committee's members with their registered endpoints, in committee order. */
  public static List<Member> members(ChainClient chain) {
    CommitteeInfo c = chain.committee().current();
    Map<String, String> endpoints = new HashMap<>();
    for (SecretNodeInfo n : chain.subnet().secretNodes()) {
      if (n.status() == SecretNodeInfo.Status.ACTIVE) {
        endpoints.put(n.account().toLowerCase(Locale.ROOT), n.endpoint());
      }
    }
    List<Member> out = new ArrayList<>();
    for (int i = 0; i < c.members().size(); i++) {
      String a = c.members().get(i);
      out.add(new Member(i + 1, a, endpoints.getOrDefault(a.toLowerCase(Locale.ROOT), "")));
    }
    return out;
  }

  /**
   * Releases the request's secrets: see the class description.
   *
   * @param instanceKey the instance's private key (the shares are sealed to its public key)
   * @param key the committee key (group key, q, verification keys) the shares are checked against
   * @param members every member, in the order to ask them
   */
  public ReleaseOutcome release(
      Network net,
      ReleaseRequest request,
      PrivateKey instanceKey,
      CommitteeKey key,
      List<Member> members) {
    ReleaseCheck check = new ReleaseCheck(net, request, instanceKey, key, signerKeys);
    List<ReleaseOutcome.NodeError> skipped = new ArrayList<>();
    List<ReleaseCheck.Valid> valid = new ArrayList<>();
    byte[] body = json(request);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      ExecutorCompletionService<Answer> done = new ExecutorCompletionService<>(pool);
      Asker asker = new Asker(done, members, body, check);
      asker.ask(key.threshold());
      collect(asker, check, valid, skipped, key.threshold());
      pool.shutdownNow();
      if (valid.size() < key.threshold()) {
        return new ReleaseOutcome.Failed(valid.size(), key.threshold(), skipped);
      }
      return check.combine(valid, skipped);
    }
  }

  /** Asks members in order, at most once each. */
  private final class Asker {
    final ExecutorCompletionService<Answer> done;
    final List<Member> members;
    final byte[] body;
    final ReleaseCheck check;
    int next;
    int pending;

    Asker(
        ExecutorCompletionService<Answer> done,
        List<Member> members,
        byte[] body,
        ReleaseCheck check) {
      this.done = done;
      this.members = members;
      this.body = body;
      this.check = check;
    }

    /** Asks the next {@code count} members; each answer is prechecked in the thread that got it. */
    void ask(int count) {
      for (int i = 0; i < count && next < members.size(); i++) {
        Member m = members.get(next++);
        done.submit(() -> SecretClient.this.ask(m, body, check));
        pending++;
      }
    }
  }

  private static void collect(
      Asker asker,
      ReleaseCheck check,
      List<ReleaseCheck.Valid> valid,
      List<ReleaseOutcome.NodeError> skipped,
      int q) {
    while (asker.pending > 0 && valid.size() < q) {
      Answer a = take(asker.done);
      asker.pending--;
      Optional<ReleaseOutcome.NodeError> problem = a.error();
      if (problem.isEmpty()) {
        problem =
            check.accept(a.member(), a.response().orElseThrow(), a.checked().orElseThrow(), valid);
      }
      if (problem.isPresent()) {
        skipped.add(problem.get());
        asker.ask(1);
      }
    }
  }

  private record Answer(
      Member member,
      Optional<ReleaseResponse> response,
      Optional<ReleaseCheck.Prechecked> checked,
      Optional<ReleaseOutcome.NodeError> error) {}

  private static Answer take(ExecutorCompletionService<Answer> done) {
    try {
      return done.take().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SecretNodeException("interrupted while waiting for members", e);
    } catch (ExecutionException e) {
      throw new SecretNodeException("member request failed: " + e.getCause(), e.getCause());
    }
  }

  /** Asks one member; an answer is prechecked here, in the thread that got it. */
  private Answer ask(Member m, byte[] body, ReleaseCheck check) {
    if (m.endpoint().isEmpty()) {
      return failed(m, "unreachable", "no endpoint registered");
    }
    try {
      HttpResponse<byte[]> r = post(m.endpoint() + "/v1/release", body);
      if (r.statusCode() == 200) {
        ReleaseResponse answer = Json.strict().readValue(r.body(), ReleaseResponse.class);
        return new Answer(
            m, Optional.of(answer), Optional.of(check.precheck(m, answer)), Optional.empty());
      }
      Refusal refusal = Json.lenient().readValue(r.body(), Refusal.class);
      return failed(m, refusal.reason(), refusal.detail());
    } catch (HttpTimeoutException e) {
      return failed(m, "timeout", "no answer within " + timeout.toMillis() + " ms");
    } catch (IOException e) {
      return failed(m, "unreachable", String.valueOf(e.getMessage()));
    } catch (RuntimeException e) {
      return failed(m, "bad-response", e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return failed(m, "timeout", "interrupted");
    }
  }

  private static Answer failed(Member m, String reason, String detail) {
    return new Answer(
        m,
        Optional.empty(),
        Optional.empty(),
        Optional.of(new ReleaseOutcome.NodeError(m.address(), m.endpoint(), reason, detail)));
  }

  private HttpResponse<byte[]> post(String url, byte[] body)
      throws IOException, InterruptedException {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    return http.send(req, HttpResponse.BodyHandlers.ofByteArray());
  }

  /** GET a member's JSON document; empty on any failure. */
  public Optional<JsonNode> get(Member m, String path) {
    try {
      HttpRequest req =
          HttpRequest.newBuilder(URI.create(m.endpoint() + path)).timeout(timeout).build();
      HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
      return r.statusCode() == 200
          ? Optional.of(Json.lenient().readTree(r.body()))
          : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /**
   * Each member's health: {@code ok}, or what failed ({@code unreachable}, {@code not-ready},
   * {@code wrong-account}), asked in parallel.
   */
  public Map<String, String> health(List<Member> members) {
    Map<String, String> out = new LinkedHashMap<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Map<String, java.util.concurrent.Future<String>> f = new LinkedHashMap<>();
      members.forEach(m -> f.put(m.address(), pool.submit(() -> healthOf(m))));
      for (var e : f.entrySet()) {
        out.put(e.getKey(), e.getValue().get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      throw new SecretNodeException("health check failed", e.getCause());
    }
    return out;
  }

  private String healthOf(Member m) {
    if (m.endpoint().isEmpty()) {
      return "no endpoint registered";
    }
    Optional<JsonNode> h = get(m, "/v1/health");
    if (h.isEmpty()) {
      return "unreachable";
    }
    if (!h.get().path("address").asText().equalsIgnoreCase(m.address())) {
      return "wrong-account";
    }
    return h.get().path("status").asText("bad-response");
  }

  /**
   * The committee key as the members publish it on {@code GET /v1/epoch}: accepted only when at
   * least {@code quorum} members give the same group key and verification keys.
   */
  public Optional<CommitteeKey> fetchKey(List<Member> members, int quorum) {
    Map<String, Integer> votes = new HashMap<>();
    for (Member m : members) {
      Optional<CommitteeKey> k = get(m, "/v1/epoch").flatMap(SecretClient::parseKey);
      if (k.isPresent()) {
        String id = k.get().toString();
        if (votes.merge(id, 1, Integer::sum) >= quorum) {
          return Optional.of(k.get());
        }
      }
    }
    return Optional.empty();
  }

  static Optional<CommitteeKey> parseKey(JsonNode n) {
    try {
      Map<Integer, Point> vks = new java.util.TreeMap<>();
      n.path("verificationKeys")
          .properties()
          .forEach(
              e ->
                  vks.put(
                      Integer.parseInt(e.getKey()),
                      Point.decode(Hex.decode(e.getValue().asText()))));
      return Optional.of(
          new CommitteeKey(
              Point.decode(Hex.decode(n.path("groupKey").asText())),
              n.path("quorum").asInt(),
              vks));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static byte[] json(Object o) {
    try {
      return Json.strict().writeValueAsBytes(o);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Used by {@link ReleaseCheck}: a share response decoded from hex. */
  static EciesCiphertext sealed(String hex) {
    return EciesCiphertext.decode(Hex.decode(hex));
  }

  /** Used by {@link ReleaseCheck}: a signature decoded from hex. */
  static EthSignature signature(String hex) {
    return EthSignature.decode(Hex.decode(hex));
  }

  /** Verdict signers as {@code CloudClient.start} takes them. */
  static SignedBy signedBy(String signer, String sigHex) {
    return new SignedBy(signer, signature(sigHex));
  }

  static Verdict verdictOf(ReleaseResponse r) {
    return r.verdict().toVerdict();
  }
}
