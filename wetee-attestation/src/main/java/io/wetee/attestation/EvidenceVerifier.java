package io.wetee.attestation;

import io.wetee.attestation.spi.CollateralSource;
import io.wetee.attestation.spi.VekSource;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The single entry point for verifying attestation evidence: SGX and TDX DCAP quotes, AMD SEV-SNP
 * reports and SIMULATED reports. Thread-safe; build one per process and share it (it memoises
 * signature checks of certificates and collateral).
 *
 * <p>{@code verify} never throws for bad evidence: every expected failure is a {@link Rejected}
 * value. It throws {@link AttestationException} only for faults of its own configuration or of a
 * collateral or VEK source (for instance an unreachable PCS in online mode).
 */
public final class EvidenceVerifier {
  private final DcapVerifier dcap;
  private final SnpVerifier snp;
  private final Clock clock;

  private EvidenceVerifier(Builder b) {
    this.dcap = new DcapVerifier(b.intelRoot, b.collateral);
    this.snp = new SnpVerifier(b.amdArks, b.amdCaChains, b.vekSource);
    this.clock = b.clock;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Verifies at the builder's clock's current time. */
  public VerificationResult verify(byte[] evidence, EvidenceType type, Policy policy) {
    return verify(evidence, type, policy, clock.instant());
  }

  /**
   * Verifies evidence at a given time and applies the policy.
   *
   * @param evidence binary evidence, or its hex text (optionally 0x-prefixed)
   * @param type the expected type, or {@link EvidenceType#AUTO} to recognise it
   * @param policy what verified evidence must also satisfy
   * @param at the verification time (certificates, CRLs and collateral must be valid then)
   */
  public VerificationResult verify(byte[] evidence, EvidenceType type, Policy policy, Instant at) {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(at, "at");
    try {
      byte[] bytes = EvidenceFormats.binary(evidence);
      EvidenceType actual = EvidenceFormats.detect(bytes);
      if (type != EvidenceType.AUTO && type != actual) {
        return new Rejected(
            RejectReason.EVIDENCE_TYPE_MISMATCH, "expected " + type + " evidence, got " + actual);
      }
      Verified v =
          switch (actual) {
            case SGX, TDX -> dcap.verify(bytes, at);
            case SEV_SNP -> snp.verify(bytes, at);
            case SIMULATED -> SimulatedReport.verify(bytes);
            case AUTO -> throw new Reject(RejectReason.MALFORMED_EVIDENCE, "unrecognised evidence");
          };
      return PolicyCheck.apply(v, policy);
    } catch (Reject r) {
      return r.toResult();
    }
  }

  /** Configures trust anchors, collateral and VEK sources, and the clock. */
  public static final class Builder {
    private X509Certificate intelRoot = TrustAnchors.intelSgxRootCa();
    private CollateralSource collateral = req -> Optional.empty();
    private final List<X509Certificate> amdArks = new ArrayList<>(TrustAnchors.amdArks());
    private final List<X509Certificate> amdCaChains = new ArrayList<>(TrustAnchors.amdCaCerts());
    private VekSource vekSource = req -> Optional.empty();
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** The pinned DCAP trust anchor (default: the Intel SGX Root CA). */
    public Builder intelRootCa(X509Certificate root) {
      this.intelRoot = Objects.requireNonNull(root);
      return this;
    }

    /** Where DCAP collateral comes from (default: nowhere; DCAP quotes are then rejected). */
    public Builder collateral(CollateralSource source) {
      this.collateral = Objects.requireNonNull(source);
      return this;
    }

    /** Fixed DCAP collateral for every quote. */
    public Builder collateral(DcapCollateral fixed) {
      Objects.requireNonNull(fixed);
      return collateral(req -> Optional.of(fixed));
    }

    /** Replaces the pinned AMD root keys (default: the Milan, Genoa and Turin ARKs). */
    public Builder amdArks(List<X509Certificate> arks) {
      amdArks.clear();
      amdArks.addAll(arks);
      return this;
    }

    /** Adds AMD intermediate certificates (ASK, ASVK) that VCEKs and VLEKs may chain through. */
    public Builder addAmdCaCerts(List<X509Certificate> certs) {
      amdCaChains.addAll(0, certs);
      return this;
    }

    /** Where SEV-SNP VCEK/VLEK certificates come from. */
    public Builder vekSource(VekSource source) {
      this.vekSource = Objects.requireNonNull(source);
      return this;
    }

    /** The clock for {@link #verify(byte[], EvidenceType, Policy)} (default: system UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    public EvidenceVerifier build() {
      return new EvidenceVerifier(this);
    }
  }
}
