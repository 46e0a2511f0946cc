package io.wetee.crypto;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One participant's state machine for distributed key generation and for resharing.
 *
 * <p>Design notes. Joint-Feldman DKG (Pedersen, EUROCRYPT 1991) with the complaint and reveal rules
 * of Gennaro, Jarecki, Krawczyk and Rabin, "Secure Distributed Key Generation for Discrete-Log
 * Based Cryptosystems" (J. Cryptology 2007; EUROCRYPT 1999), Fig. 2 steps 1-4: each dealer i shares
 * a secret with Feldman commitments, sending {@code f_i(j)} to recipient j encrypted with ECIES
 * under j's registered key ({@code context = "wetee-dkg-share-v1" | session | i | j}); a recipient
 * whose share fails complains publicly; the accused reveals the share in clear; a dealer that does
 * not answer, answers with an invalid share, or draws complaints from as many recipients as the
 * threshold, leaves QUAL. Then {@code PK = Σ_{i in QUAL} C_i0}, {@code s_j = Σ f_i(j)}, {@code PK_j
 * = Σ_k j^k Σ_i C_ik}. This is GJKR's "Joint-Feldman" variant, without the Pedersen-commitment
 * first round: a rushing adversary can bias the distribution of PK, which GJKR, "Secure
 * Applications of Pedersen's Distributed Key Generation Protocol" (CT-RSA 2003), shows harmless for
 * threshold ElGamal-type use such as ours. False complaints cost only the accuser's own share
 * privacy; complainers are never penalised here.
 *
 * <p>Resharing (Desmedt and Jajodia 1997; Herzberg et al., "Proactive Secret Sharing", CRYPTO 1995;
 * as in CHURP, CCS 2019): the old members deal their old shares {@code s_i} as constants, so {@code
 * C_i0} must equal the old {@code PK_i} (publicly checked); new member j combines {@code s'_j =
 * Σ_{i in QUAL} λ_i f_i(j)} with Lagrange coefficients over QUAL; {@code Σ λ_i C_i0 = PK} is
 * checked, so the group key and all old ciphertexts survive.
 *
 * <p>Transport-agnostic and deterministic given the message order: feed every message from the
 * bulletin board, this participant's own included, to {@link #receive} in board order, and call
 * {@link #closeDeals}, {@link #closeComplaints} and {@link #finish} at the phase deadlines. Not
 * thread-safe; the state is in memory only.
 */
public final class DkgParticipant {
  private final DkgSession session;
  private final Optional<KeyShare> dealerSecret;
  private final Optional<RecipientKey> recipient;
  private final SecureRandom random;
  private final DkgBoard board;
  private final Map<Integer, Scalar> myShares = new TreeMap<>();
  private final Set<Integer> toComplainAbout = new TreeSet<>();
  private Optional<Polynomial> polynomial = Optional.empty();
  private Optional<DkgMessage.Deal> myDeal = Optional.empty();
  private Optional<DkgOutcome> outcome = Optional.empty();
  private DkgPhase phase = DkgPhase.DEALING;

  private DkgParticipant(
      DkgSession session,
      Optional<KeyShare> dealerSecret,
      Optional<RecipientKey> recipient,
      SecureRandom random) {
    this.session = session;
    this.dealerSecret = dealerSecret;
    this.recipient = recipient;
    this.random = random;
    this.board = new DkgBoard(session);
    recipient.ifPresent(this::checkRecipient);
  }

  /** A member of a fresh DKG: deals a random secret and receives a share, both at its index. */
  public static DkgParticipant fresh(DkgSession session, RecipientKey me, SecureRandom random) {
    if (session.isReshare()) {
      throw new CryptoException("fresh participant in a resharing session");
    }
    KeyShare secret = new KeyShare(me.index(), Scalar.random(random));
    return new DkgParticipant(session, Optional.of(secret), Optional.of(me), random);
  }

  /**
   * A participant of a resharing run: an old member deals its old share, a new member receives; a
   * node in both committees does both (its old and new indices may differ).
   */
  public static DkgParticipant reshare(
      DkgSession session,
      Optional<KeyShare> oldShare,
      Optional<RecipientKey> me,
      SecureRandom random) {
    CommitteeKey previous =
        session.previous().orElseThrow(() -> new CryptoException("not a resharing session"));
    oldShare.ifPresent(
        s -> {
          if (!previous.verificationKey(s.index()).equals(Optional.of(s.verificationKey()))) {
            throw new CryptoException("old share does not match old verification key " + s.index());
          }
        });
    return new DkgParticipant(session, oldShare, me, random);
  }

  public DkgPhase phase() {
    return phase;
  }

  public DkgSession session() {
    return session;
  }

  /** This participant's deal, made once and then repeated; empty if it is not a dealer. */
  public Optional<DkgMessage.Deal> deal() {
    if (myDeal.isEmpty() && dealerSecret.isPresent()) {
      KeyShare secret = dealerSecret.get();
      Polynomial f = Polynomial.random(secret.value(), session.threshold(), random);
      Map<Integer, EciesCiphertext> shares = new TreeMap<>();
      session
          .recipients()
          .forEach(
              (j, key) ->
                  shares.put(
                      j,
                      Ecies.encrypt(
                          key,
                          f.evaluate(j).encode(),
                          session.shareContext(secret.index(), j),
                          random)));
      polynomial = Optional.of(f);
      myDeal =
          Optional.of(
              new DkgMessage.Deal(session.sessionId(), secret.index(), f.commitments(), shares));
    }
    return myDeal;
  }

  /** Processes one bulletin-board message; see {@link DkgReceipt} for rejections. */
  public DkgReceipt receive(DkgMessage message) {
    if (!message.session().equals(session.sessionId())) {
      return DkgReceipt.rejected(Reason.WRONG_SESSION, "session " + message.session());
    }
    return switch (message) {
      case DkgMessage.Deal d -> inPhase(DkgPhase.DEALING) ? onDeal(d) : wrongPhase();
      case DkgMessage.Complaint c ->
          inPhase(DkgPhase.COMPLAINING) ? board.acceptComplaint(c) : wrongPhase();
      case DkgMessage.Reveal r -> inPhase(DkgPhase.REVEALING) ? onReveal(r) : wrongPhase();
    };
  }

  /** Ends the deal phase; returns the complaints this participant must publish. */
  public List<DkgMessage.Complaint> closeDeals() {
    advance(DkgPhase.DEALING, DkgPhase.COMPLAINING);
    int me = recipient.map(RecipientKey::index).orElse(0);
    List<DkgMessage.Complaint> out = new ArrayList<>();
    toComplainAbout.forEach(d -> out.add(new DkgMessage.Complaint(session.sessionId(), me, d)));
    return out;
  }

  /**
   * Ends the complaint phase; returns the reveals this participant, as an accused dealer, must
   * publish. A dealer with as many complaints as the threshold is out anyway and reveals nothing,
   * which keeps its polynomial (in resharing: its old share) secret.
   */
  public List<DkgMessage.Reveal> closeComplaints() {
    advance(DkgPhase.COMPLAINING, DkgPhase.REVEALING);
    List<DkgMessage.Reveal> out = new ArrayList<>();
    if (dealerSecret.isEmpty() || polynomial.isEmpty()) {
      return out;
    }
    int me = dealerSecret.get().index();
    Set<Integer> accusers = board.complaintsAgainst(me);
    if (board.commitments(me) == null || accusers.size() >= session.threshold()) {
      return out;
    }
    Polynomial f = polynomial.get();
    accusers.forEach(
        j -> out.add(new DkgMessage.Reveal(session.sessionId(), me, j, f.evaluate(j))));
    return out;
  }

  /** Ends the run and computes the outcome; later calls return the same outcome. */
  public DkgOutcome finish() {
    if (outcome.isEmpty()) {
      advance(DkgPhase.REVEALING, DkgPhase.FINISHED);
      outcome = Optional.of(DkgFinalizer.finish(session, board, recipient, myShares));
    }
    return outcome.get();
  }

  private DkgReceipt onDeal(DkgMessage.Deal deal) {
    DkgReceipt receipt = board.acceptDeal(deal);
    if (receipt instanceof DkgReceipt.Accepted && recipient.isPresent()) {
      takeShare(deal, recipient.get());
    }
    return receipt;
  }

  private void takeShare(DkgMessage.Deal deal, RecipientKey me) {
    int i = deal.dealer();
    try {
      byte[] plain =
          Ecies.decrypt(
              me.encryptionKey(),
              deal.shares().get(me.index()),
              session.shareContext(i, me.index()));
      Scalar share = Scalar.decode(plain);
      if (Feldman.verifyShare(me.index(), share, deal.commitments())) {
        myShares.put(i, share);
        return;
      }
    } catch (InvalidInputException e) {
      // Undecryptable or non-canonical: the same remedy as a wrong share, a complaint.
    }
    toComplainAbout.add(i);
  }

  private DkgReceipt onReveal(DkgMessage.Reveal reveal) {
    DkgReceipt receipt = board.acceptReveal(reveal);
    boolean forMe = recipient.map(r -> r.index() == reveal.accuser()).orElse(false);
    if (forMe && board.isValidReveal(reveal)) {
      myShares.put(reveal.dealer(), reveal.share());
    }
    return receipt;
  }

  private boolean inPhase(DkgPhase expected) {
    return phase == expected;
  }

  private DkgReceipt wrongPhase() {
    return DkgReceipt.rejected(Reason.WRONG_PHASE, "phase is " + phase);
  }

  private void advance(DkgPhase from, DkgPhase to) {
    if (phase != from) {
      throw new CryptoException("cannot move to " + to + " from " + phase);
    }
    phase = to;
  }

  private void checkRecipient(RecipientKey me) {
    Point registered = session.recipients().get(me.index());
    if (registered == null || !registered.equals(me.encryptionKey().publicKey())) {
      throw new CryptoException("recipient " + me.index() + " is not registered with this key");
    }
  }
}
