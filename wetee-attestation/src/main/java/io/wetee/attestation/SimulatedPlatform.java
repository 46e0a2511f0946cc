package io.wetee.attestation;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.util.BigIntegers;

/**
 * A software "platform" that issues SIMULATED reports: the worker holds one (its platform key is
 * registered on chain), and the agent asks it for evidence as a real guest asks its quoting
 * service. Development only: SIMULATED evidence has no security and is never accepted unless the
 * policy says {@code allowSimulated}. Immutable and thread-safe.
 *
 * <p>Design notes: the format is documented on the package-private {@code SimulatedReport} and in
 * the module README; signing is ECDSA secp256k1 over SHA-256 of the body with RFC 6979
 * deterministic k and low s (BIP 62 style).
 */
public final class SimulatedPlatform {
  private final BigInteger d;
  private final byte[] publicKey;

  private SimulatedPlatform(BigInteger d) {
    if (d.signum() <= 0 || d.compareTo(SimulatedReport.CURVE.getN()) >= 0) {
      throw new AttestationException("platform private key out of range");
    }
    this.d = d;
    this.publicKey = SimulatedReport.CURVE.getG().multiply(d).normalize().getEncoded(true);
  }

  /** A new platform with a random key. */
  public static SimulatedPlatform generate(SecureRandom random) {
    BigInteger n = SimulatedReport.CURVE.getN();
    BigInteger d;
    do {
      d = new BigInteger(n.bitLength(), random);
    } while (d.signum() == 0 || d.compareTo(n) >= 0);
    return new SimulatedPlatform(d);
  }

  /** A platform from its 32-byte private key (big-endian). */
  public static SimulatedPlatform fromPrivateKey(byte[] key32) {
    if (key32.length != 32) {
      throw new AttestationException("platform private key must be 32 bytes");
    }
    return new SimulatedPlatform(new BigInteger(1, key32));
  }

  /** The 32-byte private key, for sealed storage by the owner of the platform. */
  public byte[] privateKey() {
    return BigIntegers.asUnsignedByteArray(32, d);
  }

  /** The 33-byte compressed secp256k1 public key: the platform id of its reports. */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /**
   * Issues a signed SIMULATED report.
   *
   * @param measurement 32 bytes (for WeTEE: the hash of the workload spec)
   * @param reportData 64 bytes bound into the report
   */
  public byte[] report(byte[] measurement, byte[] reportData, boolean debug, Instant issuedAt) {
    if (measurement.length != 32 || reportData.length != 64) {
      throw new AttestationException("measurement must be 32 bytes and report_data 64");
    }
    ByteBuffer b = ByteBuffer.allocate(SimulatedReport.SIZE).order(ByteOrder.LITTLE_ENDIAN);
    b.put(SimulatedReport.MAGIC).put((byte) SimulatedReport.VERSION).put((byte) (debug ? 1 : 0));
    b.put((byte) 0)
        .putLong(issuedAt.getEpochSecond())
        .put(measurement)
        .put(reportData)
        .put(publicKey);
    byte[] out = b.array();
    byte[] hash = SimulatedReport.sha256(out, SimulatedReport.BODY);
    ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    signer.init(true, new ECPrivateKeyParameters(d, SimulatedReport.DOMAIN));
    BigInteger[] rs = signer.generateSignature(hash);
    BigInteger s =
        rs[1].compareTo(SimulatedReport.HALF_N) > 0
            ? SimulatedReport.CURVE.getN().subtract(rs[1])
            : rs[1];
    System.arraycopy(BigIntegers.asUnsignedByteArray(32, rs[0]), 0, out, SimulatedReport.BODY, 32);
    System.arraycopy(BigIntegers.asUnsignedByteArray(32, s), 0, out, SimulatedReport.BODY + 32, 32);
    return out;
  }

  @Override
  public String toString() {
    return "SimulatedPlatform[publicKey=" + io.wetee.common.Hex.encode(publicKey) + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SimulatedPlatform p && Arrays.equals(publicKey, p.publicKey);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(publicKey);
  }
}
