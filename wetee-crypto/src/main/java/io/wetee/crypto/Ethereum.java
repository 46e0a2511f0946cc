package io.wetee.crypto;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;

/**
 * Ethereum-compatible ECDSA on secp256k1: sign a 32-byte hash, recover the signer's address.
 *
 * <p>Design notes. SEC 1 v2 §4.1 ECDSA with deterministic nonces per RFC 6979 §3.2 (HMAC-SHA256, no
 * extra entropy), as libsecp256k1 and ethers/viem produce, so signatures are byte-identical to
 * theirs. Low-s normalisation per EIP-2; v = 27 + y parity of R (Yellow Paper appendix F). Recovery
 * per SEC 1 v2 §4.1.6 restricted to recovery ids 0 and 1, exactly what the {@code ecrecover}
 * precompile supports. Signing follows BouncyCastle's {@code ECDSASigner} step by step (RFC 6979
 * nonce from its {@code HMacDSAKCalculator}, {@code k*G} by fixed-point comb, {@code k^-1} by
 * BouncyCastle's constant-time modular inverse) but keeps R, so v comes from R's y parity (flipped
 * with s by the low-s rule) instead of trial recoveries; {@code s = k^-1 (e + d r)} is {@code
 * BigInteger} arithmetic and is not constant-time.
 */
public final class Ethereum {
  private static final byte[] PERSONAL_PREFIX =
      "\u0019Ethereum Signed Message:\n".getBytes(StandardCharsets.US_ASCII);

  private Ethereum() {}

  /**
   * Signs a 32-byte hash (already hashed: a keccak256 or an EIP-712 digest).
   *
   * @throws InvalidInputException with {@link Reason#WRONG_LENGTH} if the hash is not 32 bytes
   */
  public static EthSignature sign(PrivateKey key, byte[] hash) {
    requireHash(hash);
    BigInteger d = key.secret().value();
    BigInteger e = new BigInteger(1, hash); // n has 256 bits: no truncation (SEC 1 §4.1.3 step 5)
    HMacDSAKCalculator nonces = new HMacDSAKCalculator(new SHA256Digest());
    nonces.init(Curve.N, d, hash);
    while (true) {
      BigInteger k = nonces.nextK();
      ECPoint bigR = Curve.mulGenerator(k);
      BigInteger x = bigR.getAffineXCoord().toBigInteger();
      BigInteger r = x.mod(Curve.N);
      if (r.signum() == 0) {
        continue;
      }
      // k^-1 with BouncyCastle's constant-time inverse, as its ECDSASigner does.
      BigInteger s =
          org.bouncycastle.util.BigIntegers.modOddInverse(Curve.N, k)
              .multiply(e.add(d.multiply(r)))
              .mod(Curve.N);
      if (s.signum() == 0) {
        continue;
      }
      if (x.compareTo(Curve.N) >= 0) {
        // x(R) >= n (probability about 2^-127): recovery id 2 or 3, which ecrecover cannot express.
        throw new CryptoException(
            "signature needs a recovery id above 1; cannot happen in practice");
      }
      int recId = bigR.getAffineYCoord().testBitZero() ? 1 : 0;
      if (s.compareTo(Curve.HALF_N) > 0) { // EIP-2 low s: -s pairs with -R, whose y parity flips
        s = Curve.N.subtract(s);
        recId ^= 1;
      }
      return new EthSignature(r, s, 27 + recId);
    }
  }

  /** Signs a {@link Bytes32} digest. */
  public static EthSignature sign(PrivateKey key, Bytes32 hash) {
    return sign(key, hash.toBytes());
  }

  /**
   * The signer's public key.
   *
   * @throws InvalidInputException with {@link Reason#WRONG_LENGTH} for a hash that is not 32 bytes,
   *     or {@link Reason#UNRECOVERABLE_SIGNATURE} when no key recovers (r is not the x of a curve
   *     point, or the result is infinity)
   */
  public static Point recoverPublicKey(byte[] hash, EthSignature signature) {
    requireHash(hash);
    return recoverPoint(hash, signature.r(), signature.s(), signature.recoveryId())
        .orElseThrow(
            () ->
                new InvalidInputException(
                    Reason.UNRECOVERABLE_SIGNATURE, "no public key recovers from this signature"));
  }

  /**
   * Whether recovering {@code signature} over {@code hash} gives {@code publicKey}, checked as
   * ECDSA verification that also checks v: {@code R' = (e/s)*G + (r/s)*Q} must be finite with
   * {@code x(R') = r} and the y parity v - 27. Equivalent to {@code recoverPublicKey(hash,
   * signature).equals(publicKey)} (recovery with that v gives the unique Q for which this holds),
   * but needs no square root for R, and Q's precomputation is reused when the same {@link Point} is
   * checked again. For a signer whose key is known from an earlier recovery.
   *
   * @throws InvalidInputException with {@link Reason#WRONG_LENGTH} for a hash that is not 32 bytes
   */
  public static boolean isSignedBy(byte[] hash, EthSignature signature, Point publicKey) {
    requireHash(hash);
    if (publicKey.isInfinity()) {
      return false;
    }
    BigInteger r = signature.r();
    BigInteger sInv = signature.s().modInverse(Curve.N);
    BigInteger u1 = new BigInteger(1, hash).multiply(sInv).mod(Curve.N);
    BigInteger u2 = r.multiply(sInv).mod(Curve.N);
    ECPoint bigR = ECAlgorithms.sumOfTwoMultiplies(Curve.G, u1, publicKey.ec(), u2).normalize();
    return !bigR.isInfinity()
        && bigR.getAffineXCoord().toBigInteger().equals(r)
        && bigR.getAffineYCoord().testBitZero() == (signature.recoveryId() == 1);
  }

  /** The signer's address; same failures as {@link #recoverPublicKey}. */
  public static Address recover(byte[] hash, EthSignature signature) {
    return Address.fromPublicKey(recoverPublicKey(hash, signature));
  }

  /** The signer's address for a {@link Bytes32} digest. */
  public static Address recover(Bytes32 hash, EthSignature signature) {
    return recover(hash.toBytes(), signature);
  }

  /** EIP-191 version 0x45 ("personal_sign") hash of a message. */
  public static Bytes32 personalMessageHash(byte[] message) {
    byte[] length = Integer.toString(message.length).getBytes(StandardCharsets.US_ASCII);
    return Keccak.hash(PERSONAL_PREFIX, length, message);
  }

  /** Q = r^-1 (s R - e G), SEC 1 v2 §4.1.6. */
  private static Optional<Point> recoverPoint(byte[] hash, BigInteger r, BigInteger s, int recId) {
    Optional<Point> bigR = Point.fromX(r, recId == 1);
    if (bigR.isEmpty()) {
      return Optional.empty();
    }
    BigInteger e = new BigInteger(1, hash);
    BigInteger rInv = r.modInverse(Curve.N);
    BigInteger u1 = e.negate().multiply(rInv).mod(Curve.N);
    BigInteger u2 = s.multiply(rInv).mod(Curve.N);
    ECPoint q = ECAlgorithms.sumOfTwoMultiplies(Curve.G, u1, bigR.get().ec(), u2);
    return q.isInfinity() ? Optional.empty() : Optional.of(Point.of(q));
  }

  private static void requireHash(byte[] hash) {
    if (hash.length != 32) {
      throw new InvalidInputException(
          Reason.WRONG_LENGTH, "hash must be 32 bytes, got " + hash.length);
    }
  }
}
