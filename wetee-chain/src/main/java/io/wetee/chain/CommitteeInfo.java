package io.wetee.chain;

import java.util.List;

/**
 * The current committee epoch: its members and the quorum of distinct member signatures a verdict
 * needs.
 */
public record CommitteeInfo(long epoch, List<String> members, int quorum) {
  public CommitteeInfo {
    members = List.copyOf(members);
  }
}
