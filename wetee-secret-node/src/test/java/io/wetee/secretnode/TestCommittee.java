package io.wetee.secretnode;

import io.wetee.crypto.Bytes32;
import io.wetee.crypto.CommitteeKey;
import io.wetee.crypto.DkgMessage;
import io.wetee.crypto.DkgOutcome;
import io.wetee.crypto.DkgParticipant;
import io.wetee.crypto.DkgSession;
import io.wetee.crypto.KeyShare;
import io.wetee.crypto.Point;
import io.wetee.crypto.PrivateKey;
import io.wetee.crypto.RecipientKey;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A committee key made by running the real DKG state machines in memory. */
record TestCommittee(CommitteeKey key, List<KeyShare> shares, List<PrivateKey> accounts) {
  static TestCommittee generate(int n, int q, SecureRandom rnd) {
    Map<Integer, Point> recipients = new TreeMap<>();
    List<RecipientKey> keys = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      PrivateKey k = PrivateKey.generate(rnd);
      keys.add(new RecipientKey(i, k));
      recipients.put(i, k.publicKey());
    }
    DkgSession session = DkgSession.fresh(Bytes32.of(new byte[32]), q, recipients);
    List<DkgParticipant> ps = new ArrayList<>();
    keys.forEach(k -> ps.add(DkgParticipant.fresh(session, k, rnd)));
    List<DkgMessage> deals = new ArrayList<>();
    ps.forEach(p -> deals.add(p.deal().orElseThrow()));
    ps.forEach(p -> deals.forEach(p::receive));
    ps.forEach(DkgParticipant::closeDeals);
    ps.forEach(DkgParticipant::closeComplaints);
    List<KeyShare> shares = new ArrayList<>();
    CommitteeKey key = null;
    for (DkgParticipant p : ps) {
      DkgOutcome.Completed c = (DkgOutcome.Completed) p.finish();
      key = c.key();
      shares.add(c.share().orElseThrow());
    }
    List<PrivateKey> accounts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      accounts.add(PrivateKey.generate(rnd));
    }
    return new TestCommittee(key, shares, accounts);
  }

  List<String> members() {
    return accounts.stream().map(a -> a.address().toString()).toList();
  }

  EpochKey epochKey(int index) {
    return new EpochKey(1, members(), key, java.util.Optional.of(shares.get(index - 1)));
  }
}
