package io.wetee.attestation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Mutated evidence gives only typed results: no exception escapes, nothing hangs, and a mutation
 * never produces a different accepted result (a Verified result must be the original one: only
 * unsigned padding may change). 12,500 cases in the normal test run.
 */
class MutationPropertiesTest {
  private static final List<VerificationResult> ORIGINAL =
      Samples.ALL.stream().map(s -> Samples.verify(s, s.bytes())).toList();

  @SuppressWarnings("ArrayRecordComponent") // test value
  record Mutation(int sample, byte[] bytes, String what) {
    @Override
    public String toString() {
      return Samples.ALL.get(sample).name() + " " + what;
    }
  }

  private static Arbitrary<Integer> sample() {
    return Arbitraries.integers().between(0, Samples.ALL.size() - 1);
  }

  @Provide
  Arbitrary<Mutation> flips() {
    return Combinators.combine(
            sample(),
            Arbitraries.integers().between(0, 1 << 30),
            Arbitraries.integers().between(1, 255))
        .as(
            (s, pos, xor) -> {
              byte[] b = Samples.ALL.get(s).bytes().clone();
              int at = pos % b.length;
              b[at] ^= (byte) (int) xor;
              return new Mutation(s, b, "byte " + at + " ^= " + xor);
            });
  }

  @Provide
  Arbitrary<Mutation> truncations() {
    return Combinators.combine(sample(), Arbitraries.integers().between(0, 1 << 30))
        .as(
            (s, len) -> {
              byte[] b = Samples.ALL.get(s).bytes();
              int n = len % b.length;
              return new Mutation(s, Arrays.copyOf(b, n), "truncated to " + n);
            });
  }

  /** Length and type fields of the formats, set to edge or random values. */
  @Provide
  Arbitrary<Mutation> lengthFields() {
    Arbitrary<Long> value =
        Arbitraries.oneOf(
            Arbitraries.of(0L, 1L, 0xffffL, 0xffffffffL, 0x7fffffffL, 0x80000000L),
            Arbitraries.longs().between(0, 0xffffffffL),
            Arbitraries.longs().between(0, 8192));
    return Combinators.combine(sample(), Arbitraries.integers().between(0, 7), value)
        .as((s, field, v) -> lengthMutation(s, field, v));
  }

  private static Mutation lengthMutation(int s, int field, long v) {
    byte[] b = Samples.ALL.get(s).bytes().clone();
    if (SimulatedReport.hasMagic(b) || EvidenceFormatsAccess.isSnp(b)) {
      int at = new int[] {0, 4, 8, 0x30, 0x34, 0x48, 0x180, 5}[field] % b.length;
      put(b, at, v, 4);
      return new Mutation(s, b, "u32 @" + at + " = " + v);
    }
    DcapQuote q = DcapQuote.parse(b);
    int sig = q.signedBytes().length;
    int afterKey = sig + 4 + 128;
    int[][] fields = {
      {sig, 4}, // signature_data_len
      {0, 2}, // version
      {2, 2}, // attestation key type
      {4, 4}, // tee type
      {48, 2}, // v5 body type (or body bytes)
      {50, 4}, // v5 body size
      {afterKey, 2}, // v4/v5 cert data type (v3: QE report)
      {afterKey + 2, 4}, // v4/v5 cert data size
    };
    int[] f = fields[field];
    if (q.version() == 3 && field >= 6) {
      f =
          new int[] {
            afterKey + 384 + 64 + (field == 6 ? 0 : 2 + q.qeAuthData().length + 2),
            field == 6 ? 2 : 4
          };
    }
    put(b, f[0], v, f[1]);
    return new Mutation(s, b, "field @" + f[0] + " = " + v);
  }

  private static void put(byte[] b, int at, long v, int width) {
    for (int i = 0; i < width && at + i < b.length; i++) {
      b[at + i] = (byte) (v >>> (8 * i));
    }
  }

  private static void check(Mutation m) {
    Samples.Sample s = Samples.ALL.get(m.sample());
    VerificationResult r = Samples.verify(s, m.bytes());
    assertThat(r).isNotNull();
    if (r instanceof Rejected rej) {
      assertThat(rej.reason()).isNotNull();
      assertThat(rej.message()).isNotBlank();
    } else {
      assertThat(r).as(m.toString()).isEqualTo(ORIGINAL.get(m.sample()));
    }
  }

  @Property(tries = 5000)
  void randomByteFlipsGiveOnlyTypedResults(@ForAll("flips") Mutation m) {
    check(m);
  }

  @Property(tries = 2500)
  void truncationsGiveOnlyTypedResults(@ForAll("truncations") Mutation m) {
    check(m);
  }

  @Property(tries = 3000)
  void lengthFieldChangesGiveOnlyTypedResults(@ForAll("lengthFields") Mutation m) {
    check(m);
  }

  /** The parsers themselves: only {@link EvidenceFormatException}, naming a field. */
  @Property(tries = 2000)
  void parsersThrowOnlyTypedErrorsWithFieldAndOffset(@ForAll("flips") Mutation m) {
    byte[] b =
        Arrays.copyOf(m.bytes(), m.bytes().length - (m.bytes().length * (m.sample() % 3)) / 7);
    try {
      if (SimulatedReport.hasMagic(b)) {
        return;
      } else if (EvidenceFormatsAccess.isSnp(b)) {
        SnpReport.parse(b);
      } else {
        DcapQuote.parse(b);
      }
    } catch (EvidenceFormatException e) {
      assertThat(e.field()).isNotBlank();
      assertThat(e.offset()).isBetween(-1L, (long) b.length);
    }
  }
}
