package io.wetee.crypto;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A DKG bulletin-board message. Each has a canonical encoding for calldata and events; {@link
 * #decode} accepts exactly the bytes {@link #encode()} produces and rejects anything else with a
 * typed {@link InvalidInputException}. Common header: {@code version 0x01 (1) | type (1) |
 * sessionId (32)}; integers are big-endian; indices are uint16.
 *
 * <p>Messages carry no signature: the transport must authenticate the sender, i.e. accept a Deal or
 * Reveal only from the member at {@code dealer} and a Complaint only from the member at {@code
 * accuser} (on chain: {@code msg.sender} checked against the member list). Otherwise anyone could
 * post an invalid reveal in an honest dealer's name and disqualify it.
 */
public sealed interface DkgMessage
    permits DkgMessage.Deal, DkgMessage.Complaint, DkgMessage.Reveal {
  int VERSION = 1;

  Bytes32 session();

  byte[] encode();

  /**
   * Decodes any DKG message.
   *
   * @throws InvalidInputException with a decoding {@link Reason}
   */
  static DkgMessage decode(byte[] bytes) {
    return DkgCodec.decode(bytes);
  }

  /**
   * A dealer's Feldman commitments and its share for every recipient, ECIES-encrypted to the
   * recipient's registered key. Type 0x01:
   *
   * <pre>
   * header | dealer (2) | t (2) | t x commitment (33) | m (2) | m x (recipient (2) | ECIES (82))
   * </pre>
   *
   * Recipients strictly ascending; each ECIES ciphertext holds the 32-byte share.
   *
   * @param session the run
   * @param dealer the dealer's index (old index when resharing)
   * @param commitments C_0 .. C_{t-1}
   * @param shares recipient index to encrypted share
   */
  record Deal(
      Bytes32 session, int dealer, List<Point> commitments, Map<Integer, EciesCiphertext> shares)
      implements DkgMessage {
    public Deal {
      Objects.requireNonNull(session, "session");
      Lagrange.requireIndex(dealer);
      commitments = List.copyOf(commitments);
      shares.keySet().forEach(Lagrange::requireIndex);
      shares = Collections.unmodifiableMap(new TreeMap<>(shares));
    }

    @Override
    public byte[] encode() {
      return DkgCodec.encode(this);
    }
  }

  /**
   * A recipient's public accusation that a dealer's share for it is missing, undecryptable or
   * inconsistent with the commitments. Type 0x02: {@code header | accuser (2) | accused (2)}.
   *
   * @param session the run
   * @param accuser recipient index
   * @param accused dealer index
   */
  record Complaint(Bytes32 session, int accuser, int accused) implements DkgMessage {
    public Complaint {
      Objects.requireNonNull(session, "session");
      Lagrange.requireIndex(accuser);
      Lagrange.requireIndex(accused);
    }

    @Override
    public byte[] encode() {
      return DkgCodec.encode(this);
    }
  }

  /**
   * The accused dealer's public answer: the disputed share in clear, checkable by everyone against
   * the commitments. Type 0x03: {@code header | dealer (2) | accuser (2) | share (32)}.
   *
   * @param session the run
   * @param dealer dealer index
   * @param accuser recipient index whose share is revealed
   * @param share f_dealer(accuser)
   */
  record Reveal(Bytes32 session, int dealer, int accuser, Scalar share) implements DkgMessage {
    public Reveal {
      Objects.requireNonNull(session, "session");
      Lagrange.requireIndex(dealer);
      Lagrange.requireIndex(accuser);
      Objects.requireNonNull(share, "share");
    }

    @Override
    public byte[] encode() {
      return DkgCodec.encode(this);
    }
  }
}
