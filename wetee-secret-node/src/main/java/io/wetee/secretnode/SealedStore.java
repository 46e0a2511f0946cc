package io.wetee.secretnode;

import io.wetee.common.Hex;
import io.wetee.common.Json;
import io.wetee.common.Secret;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The node's sealed state on disk: one file, AES-256-GCM under a key derived from a passphrase with
 * PBKDF2-HMAC-SHA256 (NIST SP 800-132; 600,000 iterations as OWASP recommends for this PRF), random
 * 16-byte salt and a fresh 12-byte nonce per write, aad {@code "wetee-sealed-v1"}. Written to a
 * temporary file created with mode 600, forced to disk and renamed over the old one, so a crash
 * leaves the old or the new state. The plaintext never touches the disk.
 *
 * <p>A TEE sealing provider would replace the KDF with a sealing key of the platform; the file
 * format keeps a {@code kdf} field for that. Thread-safe: writes are serialised.
 */
final class SealedStore {
  private static final String FORMAT = "wetee-sealed-v1";
  private static final String KDF = "PBKDF2WithHmacSHA256";
  static final int DEFAULT_ITERATIONS = 600_000;

  /** The file's JSON layout. */
  record Envelope(
      String format, String kdf, int iterations, String salt, String nonce, String ciphertext) {}

  private final Path file;
  private final SecretKeySpec key;
  private final byte[] salt;
  private final int iterations;
  private final SecureRandom random;

  private SealedStore(Path file, SecretKeySpec key, byte[] salt, int iterations, SecureRandom rnd) {
    this.file = file;
    this.key = key;
    this.salt = salt;
    this.iterations = iterations;
    this.random = rnd;
  }

  /**
   * Opens the store at {@code file}, deriving the key from the passphrase (the file's salt and
   * iterations when it exists, new ones otherwise).
   *
   * @throws SecretNodeException when the passphrase is empty or the file cannot be read
   */
  static SealedStore open(Path file, Secret passphrase, int iterations, SecureRandom random) {
    if (passphrase.isEmpty()) {
      throw new SecretNodeException(
          "no sealing passphrase: set WETEE_SEAL_PASSPHRASE or passphrase in the config");
    }
    Optional<Envelope> existing = readEnvelope(file);
    byte[] salt = existing.map(e -> Hex.decode(e.salt())).orElseGet(() -> randomBytes(random, 16));
    int iter = existing.map(Envelope::iterations).orElse(iterations);
    return new SealedStore(file, derive(passphrase, salt, iter), salt, iter, random);
  }

  /** The unsealed state, if the file exists; a wrong passphrase or a tampered file fails. */
  synchronized Optional<byte[]> read() {
    return readEnvelope(file).map(this::unseal);
  }

  /** Seals and atomically replaces the state. */
  synchronized void write(byte[] plaintext) {
    byte[] nonce = randomBytes(random, 12);
    byte[] ct = crypt(Cipher.ENCRYPT_MODE, nonce, plaintext);
    Envelope e =
        new Envelope(FORMAT, KDF, iterations, Hex.encode(salt), Hex.encode(nonce), Hex.encode(ct));
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.deleteIfExists(tmp);
      createPrivate(tmp);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.write(ByteBuffer.wrap(Json.strict().writeValueAsBytes(e)));
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException ex) {
      throw new SecretNodeException(
          "cannot write sealed store " + file + ": " + ex.getMessage(), ex);
    }
  }

  private static void createPrivate(Path tmp) throws IOException {
    try {
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(tmp); // not a POSIX file system; nothing stronger available here
    } catch (FileAlreadyExistsException e) {
      throw new IOException("temporary file appeared concurrently: " + tmp, e);
    }
  }

  private byte[] unseal(Envelope e) {
    if (!FORMAT.equals(e.format()) || !KDF.equals(e.kdf())) {
      throw new SecretNodeException(
          "sealed store " + file + " has an unknown format " + e.format());
    }
    try {
      return crypt(Cipher.DECRYPT_MODE, Hex.decode(e.nonce()), Hex.decode(e.ciphertext()));
    } catch (SecretNodeException ex) {
      throw new SecretNodeException(
          "cannot unseal " + file + ": wrong passphrase or the file was altered", ex);
    }
  }

  private byte[] crypt(int mode, byte[] nonce, byte[] input) {
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(mode, key, new GCMParameterSpec(128, nonce));
      c.updateAAD(FORMAT.getBytes(StandardCharsets.US_ASCII));
      return c.doFinal(input);
    } catch (GeneralSecurityException e) {
      throw new SecretNodeException("sealing failed: " + e.getClass().getSimpleName(), e);
    }
  }

  private static Optional<Envelope> readEnvelope(Path file) {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Json.strict().readValue(file.toFile(), Envelope.class));
    } catch (IOException e) {
      throw new SecretNodeException("cannot read sealed store " + file + ": " + e.getMessage(), e);
    }
  }

  private static SecretKeySpec derive(Secret passphrase, byte[] salt, int iterations) {
    char[] chars = passphrase.reveal();
    PBEKeySpec spec = new PBEKeySpec(chars, salt, iterations, 256);
    try {
      byte[] k = SecretKeyFactory.getInstance(KDF).generateSecret(spec).getEncoded();
      SecretKeySpec key = new SecretKeySpec(k, "AES");
      Arrays.fill(k, (byte) 0);
      return key;
    } catch (GeneralSecurityException e) {
      throw new SecretNodeException("key derivation failed: " + e.getMessage(), e);
    } finally {
      spec.clearPassword();
      Arrays.fill(chars, '\0');
    }
  }

  private static byte[] randomBytes(SecureRandom random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }
}
