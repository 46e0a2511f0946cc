package io.wetee.secretnode;

import io.wetee.crypto.CommitteeKey;
import io.wetee.crypto.KeyShare;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A committee epoch's key material as one member holds it: the members (account addresses in
 * committee order; member {@code i} has index {@code i + 1}), the public {@link CommitteeKey}, and
 * this member's share when it has one. {@link #toString()} never shows the share.
 *
 * @param epoch committee epoch
 * @param members member addresses, lower-case 0x hex, in committee order
 * @param key group key, threshold and verification keys
 * @param share this member's share, empty when it is not a member or has none
 */
public record EpochKey(
    long epoch, List<String> members, CommitteeKey key, Optional<KeyShare> share) {
  public EpochKey {
    members = members.stream().map(m -> m.toLowerCase(java.util.Locale.ROOT)).toList();
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(share, "share");
  }

  /** The 1-based index of an address, if a member. */
  public Optional<Integer> indexOf(String address) {
    int i = members.indexOf(address.toLowerCase(java.util.Locale.ROOT));
    return i < 0 ? Optional.empty() : Optional.of(i + 1);
  }
}
