package io.wetee.secretnode;

import io.wetee.chain.ChainClient;
import io.wetee.chain.ChainException;
import io.wetee.chain.ContractRevertedException;
import io.wetee.chain.SecretNodeInfo;
import io.wetee.chain.contracts.Committee;
import io.wetee.crypto.Bytes32;
import io.wetee.crypto.CommitteeKey;
import io.wetee.crypto.DkgMessage;
import io.wetee.crypto.DkgOutcome;
import io.wetee.crypto.DkgParticipant;
import io.wetee.crypto.DkgSession;
import io.wetee.crypto.Ecies;
import io.wetee.crypto.EciesCiphertext;
import io.wetee.crypto.KeyShare;
import io.wetee.crypto.Point;
import io.wetee.crypto.RecipientKey;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.TypeEncoder;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.RemoteFunctionCall;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Takes part in the DKG and resharing runs the Committee contract opens, by itself.
 *
 * <p>Design notes. Stateless between polls, so a restart anywhere is harmless: each poll rebuilds
 * the {@link DkgParticipant} of the current epoch from public chain data (members, their Subnet
 * encryption keys, the previous epoch's key) and a per-run seed kept in the sealed store, so its
 * polynomial and its deal bytes are the same every time; then it replays the epoch's board events
 * in chain order through the phases the block number has passed, and posts whatever of its own is
 * due and not yet on the board (deal, complaints, reveals, then the confirmation). The new share is
 * sealed before the confirmation is sent. A repeated post is refused by the contract ({@code
 * AlreadyPosted}) and ignored. Runs on one virtual thread.
 */
final class ChainDkg implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChainDkg.class);
  private static final String DEAL = EventEncoder.encode(Committee.DKGDEAL_EVENT);
  private static final String COMPLAINT = EventEncoder.encode(Committee.DKGCOMPLAINT_EVENT);
  private static final String REVEAL = EventEncoder.encode(Committee.DKGREVEAL_EVENT);
  private static final String CONFIRMED = EventEncoder.encode(Committee.DKGCONFIRMED_EVENT);

  /** How this node behaves; anything but HONEST exists only for tests of the protocol. */
  enum Behaviour {
    HONEST,
    /** Deals undecryptable shares to every other member and never reveals. */
    BAD_DEALS
  }

  private final ChainClient chain;
  private final NodeKeys keys;
  private final KeyRing ring;
  private final Duration poll;
  private final Behaviour behaviour;
  private final String me;
  private volatile boolean running;
  private long failedEpoch;
  private long doneWithoutShare;
  private Thread thread;

  ChainDkg(ChainClient chain, NodeKeys keys, KeyRing ring, Duration poll, Behaviour behaviour) {
    this.chain = chain;
    this.keys = keys;
    this.ring = ring;
    this.poll = poll;
    this.behaviour = behaviour;
    this.me = keys.account().address().toString().toLowerCase(Locale.ROOT);
  }

  void start() {
    running = true;
    thread = Thread.ofVirtual().name("dkg-" + me).start(this::loop);
  }

  private void loop() {
    while (running) {
      try {
        step();
      } catch (RuntimeException e) {
        LOG.warn("dkg step failed: {}", e.getMessage());
      }
      try {
        Thread.sleep(poll);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** One poll; public for tests that drive the pace. */
  void step() {
    long epoch = chain.committee().current().epoch();
    if (epoch == 0) {
      return;
    }
    Optional<EpochKey> saved = keys.epoch(epoch);
    Committee.DkgRound round = CommitteeKeys.round(chain, epoch);
    if (saved.isPresent()) {
      if (round.completed) {
        ring.install(saved.get());
      } else {
        confirmIfDue(epoch, round, saved.get());
      }
      return;
    }
    if (round.dealEnd.signum() == 0 || epoch == doneWithoutShare) {
      return;
    }
    Optional<Run> run = run(epoch, round);
    if (run.isPresent()) {
      advance(run.get(), round);
    }
  }

  /** One rebuilt participant and what it needs. */
  private record Run(
      long epoch,
      DkgParticipant participant,
      List<String> members,
      Optional<DkgMessage.Deal> myDeal,
      int myIndex) {}

  private Optional<Run> run(long epoch, Committee.DkgRound round) {
    long previous = round.previous.longValueExact();
    List<String> members = lower(CommitteeKeys.members(chain, epoch));
    int newIndex = members.indexOf(me) + 1;
    Optional<KeyShare> oldShare =
        previous == 0 ? Optional.empty() : keys.epoch(previous).flatMap(EpochKey::share);
    if (newIndex == 0 && oldShare.isEmpty()) {
      return Optional.empty();
    }
    Bytes32 sessionId =
        Bytes32.of(CommitteeKeys.call(chain.committee().contract().dkgSessionId(big(epoch))));
    int threshold =
        CommitteeKeys.call(chain.committee().contract().quorumOf(big(epoch))).intValueExact();
    Map<Integer, Point> recipients = recipientKeys(members);
    Optional<RecipientKey> meRecipient =
        newIndex == 0
            ? Optional.empty()
            : Optional.of(new RecipientKey(newIndex, keys.encryptionKey()));
    SecureRandom seeded = new SeededRandom(keys.dkgSeed(sessionId.toHex(), new SecureRandom()));
    DkgParticipant p;
    if (previous == 0) {
      p =
          DkgParticipant.fresh(
              DkgSession.fresh(sessionId, threshold, recipients),
              meRecipient.orElseThrow(),
              seeded);
    } else {
      CommitteeKey prev =
          CommitteeKeys.of(chain, previous)
              .orElseThrow(() -> new ChainException("no key for epoch " + previous))
              .key();
      p =
          DkgParticipant.reshare(
              DkgSession.reshare(sessionId, threshold, recipients, prev),
              oldShare,
              meRecipient,
              seeded);
    }
    Optional<DkgMessage.Deal> deal =
        p.deal().map(d -> behaviour == Behaviour.BAD_DEALS ? corrupt(d, newIndex) : d);
    return Optional.of(new Run(epoch, p, members, deal, newIndex));
  }

  private Map<Integer, Point> recipientKeys(List<String> members) {
    Map<String, byte[]> byAccount = new HashMap<>();
    for (SecretNodeInfo n : chain.subnet().secretNodes()) {
      if (n.status() == SecretNodeInfo.Status.ACTIVE) {
        byAccount.put(n.account().toLowerCase(Locale.ROOT), n.encryptionKey());
      }
    }
    Map<Integer, Point> out = new TreeMap<>();
    for (int i = 0; i < members.size(); i++) {
      byte[] k = byAccount.get(members.get(i));
      if (k == null) {
        throw new ChainException("member " + members.get(i) + " has no registered encryption key");
      }
      out.put(i + 1, Point.decode(k));
    }
    return out;
  }

  private void advance(Run run, Committee.DkgRound round) {
    long block = chain.blockNumber();
    List<Log> logs = boardLogs(run.epoch());
    DkgParticipant p = run.participant();
    List<DkgMessage> deals = messages(logs, DEAL);
    deals.forEach(p::receive);
    if (block <= round.dealEnd.longValueExact()) {
      if (run.myDeal().isPresent()
          && deals.stream().noneMatch(d -> sameDealer(d, run.myDeal().get()))) {
        post(
            chain.committee().contract().dkgDeal(big(run.epoch()), run.myDeal().get().encode()),
            "deal");
      }
      return;
    }
    List<DkgMessage.Complaint> mine = p.closeDeals();
    List<DkgMessage> complaints = messages(logs, COMPLAINT);
    complaints.forEach(p::receive);
    if (block <= round.complaintEnd.longValueExact()) {
      for (DkgMessage.Complaint c : mine) {
        if (!complaints.contains(c) && run.myIndex() != 0) {
          post(chain.committee().contract().dkgComplain(big(run.epoch()), c.encode()), "complaint");
        }
      }
      return;
    }
    List<DkgMessage.Reveal> reveals = p.closeComplaints();
    List<DkgMessage> posted = messages(logs, REVEAL);
    posted.forEach(p::receive);
    if (block <= round.revealEnd.longValueExact()) {
      if (behaviour == Behaviour.HONEST) {
        for (DkgMessage.Reveal r : reveals) {
          if (posted.stream()
              .noneMatch(
                  x ->
                      x instanceof DkgMessage.Reveal y
                          && y.dealer() == r.dealer()
                          && y.accuser() == r.accuser())) {
            post(chain.committee().contract().dkgReveal(big(run.epoch()), r.encode()), "reveal");
          }
        }
      }
      return;
    }
    finish(run, round);
  }

  private void finish(Run run, Committee.DkgRound round) {
    DkgOutcome outcome = run.participant().finish();
    switch (outcome) {
      case DkgOutcome.Completed c -> {
        LOG.info(
            "dkg epoch {} completed; qualified {}, disqualified {}",
            run.epoch(),
            c.qualified(),
            c.disqualified());
        if (c.share().isEmpty()) {
          doneWithoutShare = run.epoch(); // a dealer leaving the committee: nothing more to do
          return;
        }
        EpochKey key = new EpochKey(run.epoch(), run.members(), c.key(), c.share());
        keys.saveEpoch(key); // sealed before anyone is told
        confirmIfDue(run.epoch(), round, key);
      }
      case DkgOutcome.Failed f -> {
        if (failedEpoch != run.epoch()) {
          failedEpoch = run.epoch();
          LOG.warn("dkg epoch {} failed: {} {}", run.epoch(), f.reason(), f.detail());
        }
      }
    }
  }

  private void confirmIfDue(long epoch, Committee.DkgRound round, EpochKey key) {
    if (round.completed || key.indexOf(me).isEmpty()) {
      return;
    }
    for (Log l : boardLogs(epoch)) {
      if (l.getTopics().get(0).equals(CONFIRMED)
          && Committee.getDkgConfirmedEventFromLog(l).member.equalsIgnoreCase(me)) {
        return;
      }
    }
    ByteArrayOutputStream vks = new ByteArrayOutputStream();
    key.key().verificationKeys().values().forEach(p -> vks.writeBytes(p.encode()));
    post(
        chain
            .committee()
            .contract()
            .dkgConfirm(big(epoch), key.key().groupKey().encode(), vks.toByteArray()),
        "confirm");
  }

  private static boolean sameDealer(DkgMessage m, DkgMessage.Deal mine) {
    return m instanceof DkgMessage.Deal d && d.dealer() == mine.dealer();
  }

  /** Replaces every other recipient's share with one that cannot be decrypted. */
  private static DkgMessage.Deal corrupt(DkgMessage.Deal d, int me) {
    Map<Integer, EciesCiphertext> shares = new TreeMap<>(d.shares());
    SecureRandom rnd = new SecureRandom();
    shares.replaceAll(
        (j, ct) ->
            j == me
                ? ct
                : Ecies.encrypt(
                    ct.ephemeral(),
                    new byte[32],
                    "not-the-context".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                    rnd));
    return new DkgMessage.Deal(d.session(), d.dealer(), d.commitments(), shares);
  }

  private List<DkgMessage> messages(List<Log> logs, String topic) {
    List<DkgMessage> out = new ArrayList<>();
    for (Log l : logs) {
      if (!l.getTopics().get(0).equals(topic)) {
        continue;
      }
      byte[] m =
          topic.equals(DEAL)
              ? Committee.getDkgDealEventFromLog(l).message
              : topic.equals(COMPLAINT)
                  ? Committee.getDkgComplaintEventFromLog(l).message
                  : Committee.getDkgRevealEventFromLog(l).message;
      try {
        out.add(DkgMessage.decode(m));
      } catch (RuntimeException e) {
        LOG.info("ignoring a malformed board message: {}", e.getMessage());
      }
    }
    return out;
  }

  private List<Log> boardLogs(long epoch) {
    EthFilter f =
        new EthFilter(
            DefaultBlockParameter.valueOf(BigInteger.valueOf(chain.deployment().deployBlock())),
            DefaultBlockParameterName.LATEST,
            chain.deployment().address("Committee"));
    f.addOptionalTopics(DEAL, COMPLAINT, REVEAL, CONFIRMED);
    f.addSingleTopic("0x" + TypeEncoder.encode(new Uint64(big(epoch))));
    EthLog r;
    try {
      r = chain.web3j().ethGetLogs(f).send();
    } catch (java.io.IOException e) {
      throw new ChainException("eth_getLogs failed: " + e.getMessage(), e);
    }
    if (r.hasError()) {
      throw new ChainException("eth_getLogs failed: " + r.getError().getMessage());
    }
    List<Log> out = new ArrayList<>();
    for (EthLog.LogResult<?> x : r.getLogs()) {
      if (x.get() instanceof Log l) {
        out.add(l);
      }
    }
    return out;
  }

  private void post(RemoteFunctionCall<TransactionReceipt> tx, String what) {
    try {
      tx.send();
      LOG.info("dkg: posted {}", what);
    } catch (ContractRevertedException e) {
      LOG.info("dkg: {} not accepted: {}", what, e.errorName());
    } catch (Exception e) {
      throw new ChainException("dkg " + what + " failed: " + e.getMessage(), e);
    }
  }

  private static List<String> lower(List<String> l) {
    return l.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
  }

  private static BigInteger big(long v) {
    return BigInteger.valueOf(v);
  }

  @Override
  public void close() {
    running = false;
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(Duration.ofSeconds(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
