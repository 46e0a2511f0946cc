package io.wetee.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wetee.common.Hex;
import java.util.Arrays;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class DkgMessageTest {
  static final Bytes32 ID = Keccak.hash(new byte[] {7});
  final TestRandom random = new TestRandom(51);
  final Map<Integer, PrivateKey> keys = DkgHarness.encryptionKeys(3, random);
  final DkgSession session = DkgSession.fresh(ID, 2, DkgHarness.publicKeys(keys));
  final DkgMessage.Deal deal =
      DkgParticipant.fresh(session, new RecipientKey(2, keys.get(2)), random).deal().orElseThrow();

  @Property(tries = 30)
  void complaintsAndRevealsRoundTrip(
      @ForAll @IntRange(min = 1, max = 65535) int a,
      @ForAll @IntRange(min = 1, max = 65535) int b,
      @ForAll long seed) {
    DkgMessage complaint = new DkgMessage.Complaint(ID, a, b);
    assertThat(complaint.encode()).hasSize(38);
    assertThat(DkgMessage.decode(complaint.encode())).isEqualTo(complaint);
    DkgMessage reveal = new DkgMessage.Reveal(ID, a, b, Scalar.random(new TestRandom(seed)));
    assertThat(reveal.encode()).hasSize(70);
    assertThat(DkgMessage.decode(reveal.encode())).isEqualTo(reveal);
  }

  @Test
  void dealRoundTripsWithTheDocumentedLength() {
    byte[] enc = deal.encode();
    // header 34 | dealer 2 | t 2 | 2 x 33 | m 2 | 3 x (2 + 82)
    assertThat(enc).hasSize(34 + 2 + 2 + 2 * 33 + 2 + 3 * 84);
    assertThat(Hex.encode(Arrays.copyOf(enc, 2))).isEqualTo("0101");
    assertThat(DkgMessage.decode(enc)).isEqualTo(deal);
  }

  @Test
  void complaintHasTheDocumentedLayout() {
    assertThat(Hex.encode(new DkgMessage.Complaint(ID, 3, 258).encode()))
        .isEqualTo("0102" + Hex.encode(ID.toBytes()) + "0003" + "0102");
  }

  @Test
  void decodingRejectsTruncationTrailingBytesVersionAndType() {
    byte[] enc = deal.encode();
    assertRejects(Arrays.copyOf(enc, enc.length - 1), Reason.WRONG_LENGTH);
    assertRejects(Arrays.copyOf(enc, enc.length + 1), Reason.TRAILING_BYTES);
    assertRejects(patch(enc, 0, 2), Reason.UNSUPPORTED_VERSION);
    assertRejects(patch(enc, 1, 9), Reason.UNKNOWN_MESSAGE_TYPE);
    assertRejects(new byte[0], Reason.WRONG_LENGTH);
  }

  @Test
  void decodingRejectsBadPointsScalarsIndicesAndOrder() {
    byte[] enc = deal.encode();
    int firstCommitment = 34 + 4;
    byte[] infinity = enc.clone();
    Arrays.fill(infinity, firstCommitment, firstCommitment + 33, (byte) 0);
    assertRejects(infinity, Reason.POINT_AT_INFINITY);
    byte[] offCurve = enc.clone();
    Arrays.fill(offCurve, firstCommitment + 1, firstCommitment + 33, (byte) 0);
    offCurve[firstCommitment + 32] = 5;
    assertRejects(offCurve, Reason.NOT_ON_CURVE);
    int firstRecipient = firstCommitment + 2 * 33 + 2;
    byte[] swapped = enc.clone();
    swapped[firstRecipient + 1] = 2; // recipients 2, 2, 3
    assertRejects(swapped, Reason.NOT_CANONICAL_ORDER);
    byte[] zeroDealer = patch(enc, 35, 0);
    assertRejects(zeroDealer, Reason.VALUE_OUT_OF_RANGE);
    byte[] noCommitments = Arrays.copyOf(enc, 38);
    noCommitments[36] = 0;
    noCommitments[37] = 0;
    assertRejects(noCommitments, Reason.MALFORMED_DEAL);

    byte[] reveal = new DkgMessage.Reveal(ID, 1, 2, Scalar.ONE).encode();
    Arrays.fill(reveal, 38, 70, (byte) 0xFF);
    assertRejects(reveal, Reason.SCALAR_OUT_OF_RANGE);
  }

  @Test
  void revealsDoNotPrintTheShare() {
    assertThat(new DkgMessage.Reveal(ID, 1, 2, Scalar.of(31337)).toString())
        .doesNotContain("31337");
  }

  private static byte[] patch(byte[] enc, int at, int value) {
    byte[] out = enc.clone();
    out[at] = (byte) value;
    return out;
  }

  private static void assertRejects(byte[] bytes, Reason reason) {
    assertThatThrownBy(() -> DkgMessage.decode(bytes))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }
}
