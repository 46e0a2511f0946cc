package io.wetee.crypto;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Public-key encryption to a secp256k1 key: ECIES in the style of SEC 1 v2 §5.1, with modern
 * components.
 *
 * <p>Design notes. The sender draws an ephemeral scalar e, sends {@code R = e*G} and computes the
 * shared point {@code S = e*P} (the recipient computes {@code S = d*R}); both by the fixed-sequence
 * multiplications of {@code Curve}. Key and nonce come from HKDF-SHA256 (RFC 5869): {@code okm =
 * HKDF(ikm = x(S) | R, salt = empty, info = "wetee-ecies-v1" | context, L = 44)}, key = okm[0..32),
 * nonce = okm[32..44). R in the key derivation ("DHAES mode", as in ISO 18033-2 ECIES-KEM) ties the
 * key to this ciphertext. The payload is AES-256-GCM with {@code aad = context}. Each message has a
 * fresh e, hence a fresh key, so the derived nonce never repeats under one key. {@code context} is
 * the caller's domain separation: a ciphertext made for one context does not decrypt under another.
 *
 * <p>A {@link Sender} seals several messages to one recipient under one ephemeral key (one {@code
 * e*P} instead of one per message), each under its own context: the contexts differ, so the keys
 * and nonces differ, and the sender refuses a context it has used. An {@link Opener} remembers
 * {@code d*R} per ephemeral key, so messages sharing R cost one multiplication to open. This is the
 * multi-message use of an ECIES-KEM key with per-message KDF labels (ISO 18033-2 allows one KEM
 * output to key several DEM encryptions when the derived keys are independent).
 */
public final class Ecies {
  private static final byte[] TAG = "wetee-ecies-v1".getBytes(StandardCharsets.US_ASCII);

  private Ecies() {}

  /**
   * Encrypts {@code plaintext} to {@code recipient}.
   *
   * @throws InvalidInputException with {@link Reason#POINT_AT_INFINITY} for an infinite key
   */
  public static EciesCiphertext encrypt(
      Point recipient, byte[] plaintext, byte[] context, SecureRandom random) {
    if (recipient.isInfinity()) {
      throw new InvalidInputException(Reason.POINT_AT_INFINITY, "recipient key is infinity");
    }
    Scalar e = Scalar.random(random);
    Point r = Point.fromSecret(e);
    byte[] okm = derive(recipient.multiplySecret(e), r, context);
    byte[] body = AesGcm.encrypt(key(okm), nonce(okm), plaintext, context);
    Arrays.fill(okm, (byte) 0);
    return new EciesCiphertext(r, body);
  }

  /**
   * Decrypts with the recipient's private key.
   *
   * @throws InvalidInputException with {@link Reason#AUTHENTICATION_FAILED} if the ciphertext was
   *     not made for this key and context, or was altered
   */
  public static byte[] decrypt(PrivateKey recipient, EciesCiphertext ciphertext, byte[] context) {
    byte[] okm =
        derive(
            ciphertext.ephemeral().multiplySecret(recipient.secret()),
            ciphertext.ephemeral(),
            context);
    try {
      return AesGcm.decrypt(key(okm), nonce(okm), ciphertext.body(), context);
    } finally {
      Arrays.fill(okm, (byte) 0);
    }
  }

  /** Seals messages to one recipient under one ephemeral key; one context per message. */
  public static Sender sender(Point recipient, SecureRandom random) {
    if (recipient.isInfinity()) {
      throw new InvalidInputException(Reason.POINT_AT_INFINITY, "recipient key is infinity");
    }
    Scalar e = Scalar.random(random);
    return new Sender(Point.fromSecret(e), recipient.multiplySecret(e));
  }

  /** Opens messages for one recipient key, remembering the shared point of each ephemeral key. */
  public static Opener opener(PrivateKey recipient) {
    return new Opener(recipient);
  }

  /**
   * Several messages to one recipient under one ephemeral key. Thread-safe. Each context may be
   * used once: a repeated context would repeat the key and nonce.
   */
  public static final class Sender {
    private final Point ephemeral;
    private final Point shared;
    private final java.util.Set<String> used = new java.util.HashSet<>();

    private Sender(Point ephemeral, Point shared) {
      this.ephemeral = ephemeral;
      this.shared = shared;
    }

    /**
     * Encrypts {@code plaintext} under {@code context}.
     *
     * @throws IllegalStateException if this sender already sealed a message under {@code context}
     */
    public EciesCiphertext seal(byte[] plaintext, byte[] context) {
      synchronized (used) {
        if (!used.add(java.util.HexFormat.of().formatHex(context))) {
          throw new IllegalStateException("this ECIES sender already used that context");
        }
      }
      byte[] okm = derive(shared, ephemeral, context);
      try {
        return new EciesCiphertext(
            ephemeral, AesGcm.encrypt(key(okm), nonce(okm), plaintext, context));
      } finally {
        Arrays.fill(okm, (byte) 0);
      }
    }
  }

  /** Decrypts for one recipient key; thread-safe; one multiplication per distinct ephemeral key. */
  public static final class Opener {
    private final PrivateKey recipient;
    private final java.util.Map<Point, Point> shared =
        new java.util.concurrent.ConcurrentHashMap<>();

    private Opener(PrivateKey recipient) {
      this.recipient = recipient;
    }

    /**
     * Decrypts like {@link Ecies#decrypt}.
     *
     * @throws InvalidInputException with {@link Reason#AUTHENTICATION_FAILED} if the ciphertext was
     *     not made for this key and context, or was altered
     */
    public byte[] open(EciesCiphertext ciphertext, byte[] context) {
      Point r = ciphertext.ephemeral();
      Point s = shared.computeIfAbsent(r, p -> p.multiplySecret(recipient.secret()));
      byte[] okm = derive(s, r, context);
      try {
        return AesGcm.decrypt(key(okm), nonce(okm), ciphertext.body(), context);
      } finally {
        Arrays.fill(okm, (byte) 0);
      }
    }
  }

  private static byte[] derive(Point shared, Point ephemeral, byte[] context) {
    byte[] ikm = Bytes.concat(shared.x(), ephemeral.encode());
    return Hkdf.sha256(
        ikm, new byte[0], Bytes.concat(TAG, context), AesGcm.KEY_LENGTH + AesGcm.NONCE_LENGTH);
  }

  private static byte[] key(byte[] okm) {
    return Arrays.copyOfRange(okm, 0, AesGcm.KEY_LENGTH);
  }

  private static byte[] nonce(byte[] okm) {
    return Arrays.copyOfRange(okm, AesGcm.KEY_LENGTH, okm.length);
  }
}
