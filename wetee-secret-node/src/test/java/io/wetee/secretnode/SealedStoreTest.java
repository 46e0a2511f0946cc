package io.wetee.secretnode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wetee.common.Hex;
import io.wetee.common.Secret;
import io.wetee.crypto.PrivateKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SealedStoreTest {
  @TempDir Path dir;
  final SecureRandom rnd = new SecureRandom();

  @Test
  void keepsKeysAndSharesSealedWithMode600AndReopensThem() throws Exception {
    Path file = dir.resolve("node.sealed");
    SealedStore store = SealedStore.open(file, Secret.of("correct horse"), 1000, rnd);
    PrivateKey account = PrivateKey.generate(rnd);
    NodeKeys keys = NodeKeys.open(store, () -> Optional.of(account), rnd);
    TestCommittee c = TestCommittee.generate(4, 3, rnd);
    keys.saveEpoch(c.epochKey(2));
    byte[] seed = keys.dkgSeed("s1", rnd);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    String onDisk = Files.readString(file, StandardCharsets.UTF_8);
    assertThat(onDisk).doesNotContain(Hex.encode(account.encode()));
    assertThat(onDisk).doesNotContain(Hex.encode(c.shares().get(1).value().encode()));

    NodeKeys reopened =
        NodeKeys.open(
            SealedStore.open(file, Secret.of("correct horse"), 1000, rnd), Optional::empty, rnd);
    assertThat(reopened.account().address()).isEqualTo(account.address());
    assertThat(reopened.encryptionKey().publicKey()).isEqualTo(keys.encryptionKey().publicKey());
    assertThat(reopened.latest().orElseThrow().share()).contains(c.shares().get(1));
    assertThat(reopened.latest().orElseThrow().key()).isEqualTo(c.key());
    assertThat(reopened.dkgSeed("s1", rnd)).isEqualTo(seed);
    assertThat(reopened.latest().orElseThrow().toString())
        .doesNotContain(c.shares().get(1).value().toString());
  }

  @Test
  void refusesAWrongPassphraseATamperedFileAndAnEmptyPassphrase() throws Exception {
    Path file = dir.resolve("node.sealed");
    NodeKeys.open(SealedStore.open(file, Secret.of("one"), 1000, rnd), Optional::empty, rnd);
    assertThatThrownBy(() -> SealedStore.open(file, Secret.of("two"), 1000, rnd).read())
        .hasMessageContaining("wrong passphrase or the file was altered");
    String text = Files.readString(file);
    int at = text.indexOf("\"ciphertext\":\"") + 14;
    char flipped = text.charAt(at) == '0' ? '1' : '0';
    Files.writeString(file, text.substring(0, at) + flipped + text.substring(at + 1));
    assertThatThrownBy(() -> SealedStore.open(file, Secret.of("one"), 1000, rnd).read())
        .hasMessageContaining("wrong passphrase or the file was altered");
    assertThatThrownBy(() -> SealedStore.open(dir.resolve("x"), Secret.of(""), 1000, rnd))
        .hasMessageContaining("WETEE_SEAL_PASSPHRASE");
  }
}
