package io.wetee.worker.node;

import io.wetee.common.Secret;
import io.wetee.worker.WorkerException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
 * A small value sealed on disk: AES-256-GCM under a key from PBKDF2-HMAC-SHA256 of a passphrase.
 *
 * <p>Design notes: the same construction as the secret node's sealed store (NIST SP 800-132 KDF,
 * 16-byte random salt, 12-byte random nonce per write, the file name as associated data so a file
 * cannot be swapped for another sealed file). Layout: {@code "WSF1" | salt | nonce | ciphertext}.
 * Written to a mode-600 temporary file, forced and renamed. A TEE sealing key would replace the
 * passphrase in production; on a devnet the passphrase may be empty (the file is then only
 * obfuscated, which the worker logs).
 */
final class SealedFile {
  private static final byte[] MAGIC = {'W', 'S', 'F', '1'};
  private static final int ITERATIONS = 210_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  private SealedFile() {}

  static Optional<byte[]> read(Path file, Secret passphrase) {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file));
      byte[] magic = new byte[4];
      byte[] salt = new byte[16];
      byte[] nonce = new byte[12];
      in.get(magic).get(salt).get(nonce);
      if (!Arrays.equals(magic, MAGIC)) {
        throw new WorkerException(file + " is not a sealed file");
      }
      byte[] ct = new byte[in.remaining()];
      in.get(ct);
      Cipher c = cipher(Cipher.DECRYPT_MODE, passphrase, salt, nonce, file);
      return Optional.of(c.doFinal(ct));
    } catch (IOException | RuntimeException e) {
      throw new WorkerException("cannot read sealed file " + file + ": " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new WorkerException("cannot open " + file + ": wrong passphrase or altered file", e);
    }
  }

  static void write(Path file, Secret passphrase, byte[] value) {
    byte[] salt = new byte[16];
    byte[] nonce = new byte[12];
    RANDOM.nextBytes(salt);
    RANDOM.nextBytes(nonce);
    try {
      byte[] ct = cipher(Cipher.ENCRYPT_MODE, passphrase, salt, nonce, file).doFinal(value);
      ByteBuffer out = ByteBuffer.allocate(4 + 16 + 12 + ct.length);
      out.put(MAGIC).put(salt).put(nonce).put(ct);
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.deleteIfExists(tmp);
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.write(tmp, out.array());
      try (var ch =
          java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | GeneralSecurityException e) {
      throw new WorkerException("cannot write sealed file " + file + ": " + e.getMessage(), e);
    }
  }

  private static Cipher cipher(int mode, Secret passphrase, byte[] salt, byte[] nonce, Path file)
      throws GeneralSecurityException {
    char[] pass = passphrase.reveal();
    try {
      byte[] key =
          SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
              .generateSecret(new PBEKeySpec(pass, salt, ITERATIONS, 256))
              .getEncoded();
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
      Arrays.fill(key, (byte) 0);
      c.updateAAD(file.getFileName().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return c;
    } finally {
      Arrays.fill(pass, '\0');
    }
  }
}
