package io.wetee.worker.node;

import io.wetee.attestation.SimulatedPlatform;
import io.wetee.common.Secret;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The worker's SIMULATED platform key (DESIGN §3): generated on first start, kept sealed in {@code
 * dataDir/platform.sealed} (see {@link SealedFile}); its public key is the platform identity the
 * worker registers on Subnet.
 */
final class PlatformKeys {
  private PlatformKeys() {}

  static SimulatedPlatform loadOrCreate(Path file, Secret passphrase) {
    var sealed = SealedFile.read(file, passphrase);
    if (sealed.isPresent()) {
      byte[] key = sealed.get();
      try {
        return SimulatedPlatform.fromPrivateKey(key);
      } finally {
        Arrays.fill(key, (byte) 0);
      }
    }
    SimulatedPlatform p = SimulatedPlatform.generate(new SecureRandom());
    byte[] key = p.privateKey();
    SealedFile.write(file, passphrase, key);
    Arrays.fill(key, (byte) 0);
    return p;
  }
}
