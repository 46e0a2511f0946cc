package io.wetee.crypto;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Canonical byte encodings of {@link DkgMessage}s (layouts documented there). */
final class DkgCodec {
  static final int DEAL = 1;
  static final int COMPLAINT = 2;
  static final int REVEAL = 3;

  /** ECIES ciphertext of a 32-byte share. */
  static final int SHARE_CIPHERTEXT_LENGTH = EciesCiphertext.OVERHEAD + Scalar.ENCODED_LENGTH;

  private DkgCodec() {}

  static byte[] encode(DkgMessage.Deal deal) {
    Bytes.Writer w = header(DEAL, deal.session()).u16(deal.dealer());
    w.u16(deal.commitments().size());
    deal.commitments().forEach(c -> w.bytes(c.encode()));
    w.u16(deal.shares().size());
    deal.shares()
        .forEach(
            (recipient, ct) -> {
              byte[] enc = ct.encode();
              if (enc.length != SHARE_CIPHERTEXT_LENGTH) {
                throw new CryptoException("encrypted share has length " + enc.length);
              }
              w.u16(recipient).bytes(enc);
            });
    return w.toByteArray();
  }

  static byte[] encode(DkgMessage.Complaint c) {
    return header(COMPLAINT, c.session()).u16(c.accuser()).u16(c.accused()).toByteArray();
  }

  static byte[] encode(DkgMessage.Reveal r) {
    return header(REVEAL, r.session())
        .u16(r.dealer())
        .u16(r.accuser())
        .bytes(r.share().encode())
        .toByteArray();
  }

  static DkgMessage decode(byte[] bytes) {
    ByteReader in = new ByteReader(bytes, "DKG message");
    in.expectVersion(DkgMessage.VERSION);
    int type = in.u8();
    Bytes32 session = Bytes32.of(in.bytes(Bytes32.LENGTH));
    DkgMessage msg =
        switch (type) {
          case DEAL -> decodeDeal(session, in);
          case COMPLAINT -> new DkgMessage.Complaint(session, in.u16(), in.u16());
          case REVEAL -> new DkgMessage.Reveal(session, in.u16(), in.u16(), in.scalar());
          default ->
              throw new InvalidInputException(
                  Reason.UNKNOWN_MESSAGE_TYPE, "DKG message type " + type);
        };
    in.end();
    return msg;
  }

  private static DkgMessage.Deal decodeDeal(Bytes32 session, ByteReader in) {
    int dealer = in.u16();
    int t = in.u16();
    if (t == 0) {
      throw new InvalidInputException(Reason.MALFORMED_DEAL, "deal without commitments");
    }
    List<Point> commitments = new ArrayList<>(t);
    for (int k = 0; k < t; k++) {
      commitments.add(in.point());
    }
    int m = in.u16();
    Map<Integer, EciesCiphertext> shares = new TreeMap<>();
    int last = 0;
    for (int k = 0; k < m; k++) {
      int recipient = Lagrange.requireIndex(in.u16());
      if (recipient <= last) {
        throw new InvalidInputException(
            Reason.NOT_CANONICAL_ORDER, "recipients must be strictly ascending");
      }
      last = recipient;
      shares.put(recipient, EciesCiphertext.decode(in.bytes(SHARE_CIPHERTEXT_LENGTH)));
    }
    return new DkgMessage.Deal(session, dealer, commitments, shares);
  }

  private static Bytes.Writer header(int type, Bytes32 session) {
    return new Bytes.Writer().u8(DkgMessage.VERSION).u8(type).bytes(session.toBytes());
  }
}
