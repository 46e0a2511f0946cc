package io.wetee.cli.secret;

import io.wetee.chain.ChainClient;
import io.wetee.chain.ChainException;
import io.wetee.chain.CloudClient;
import io.wetee.chain.contracts.Cloud;
import io.wetee.cli.ChainAccess;
import io.wetee.cli.Output;
import io.wetee.cli.UsageException;
import io.wetee.crypto.Address;
import io.wetee.crypto.SecretBinding;
import io.wetee.secretnode.CommitteeKeys;
import io.wetee.secretnode.SecretClient;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.web3j.abi.EventEncoder;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code wetee secret ...}: the account's secrets on Cloud, encrypted here to the committee's group
 * key (DESIGN §4) before they leave this machine; the chain and the nodes only ever see ciphertext.
 */
@Command(
    name = "secret",
    mixinStandardHelpOptions = true,
    description = "Put, rotate, delete and list your secrets (encrypted to the committee key).",
    subcommands = {
      SecretCommand.Put.class,
      SecretCommand.Rotate.class,
      SecretCommand.Delete.class,
      SecretCommand.ListSecrets.class
    })
public final class SecretCommand {
  /** Where the value comes from: exactly one of a file or standard input. */
  static final class Source {
    @Option(names = "--value-file", description = "Read the value from this file.")
    Path file;

    @Option(names = "--value-stdin", description = "Read the value from standard input.")
    boolean stdin;

    byte[] read() {
      try {
        return file != null ? Files.readAllBytes(file) : System.in.readAllBytes();
      } catch (IOException e) {
        throw new UsageException("cannot read the value: " + e.getMessage());
      }
    }
  }

  abstract static class Write implements Runnable {
    @Spec CommandSpec spec;

    @Parameters(index = "0", description = "Secret name.")
    String name;

    @ArgGroup(multiplicity = "1")
    Source source;

    abstract boolean rotate();

    @Override
    public void run() {
      checkName(name);
      byte[] value = source.read();
      try (ChainClient c = ChainAccess.open(spec, true)) {
        CommitteeKeys.EpochPublicKey key =
            CommitteeKeys.active(c)
                .orElseThrow(
                    () -> new ChainException("the committee has no group key yet (DKG not done)"));
        String owner = c.account().orElseThrow();
        CloudClient.SecretRecord rec = c.cloud().secret(owner, name);
        if (rec.exists() != rotate()) {
          throw new UsageException(
              rotate()
                  ? "no secret " + name + " to rotate; use: wetee secret put"
                  : "secret " + name + " exists; use: wetee secret rotate");
        }
        long version = rec.version() + 1;
        SecretBinding b =
            new SecretBinding(
                BigInteger.valueOf(c.deployment().chainId()),
                Address.fromHex(c.deployment().address("Cloud")),
                Address.fromHex(owner),
                name,
                version);
        byte[] ct = SecretClient.encrypt(key.key().groupKey(), b, value).encode();
        Arrays.fill(value, (byte) 0);
        if (rotate()) {
          c.cloud().rotateSecret(name, ct);
        } else {
          c.cloud().putSecret(name, ct);
        }
        Output.line(spec, "%s secret %s version %d", rotate() ? "rotated" : "put", name, version);
      }
    }
  }

  @Command(name = "put", mixinStandardHelpOptions = true, description = "Store a new secret.")
  static final class Put extends Write {
    @Override
    boolean rotate() {
      return false;
    }
  }

  @Command(
      name = "rotate",
      mixinStandardHelpOptions = true,
      description = "Replace a secret's value (version + 1).")
  static final class Rotate extends Write {
    @Override
    boolean rotate() {
      return true;
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a secret.")
  static final class Delete implements Runnable {
    @Spec CommandSpec spec;

    @Parameters(index = "0", description = "Secret name.")
    String name;

    @Override
    public void run() {
      checkName(name);
      try (ChainClient c = ChainAccess.open(spec, true)) {
        c.cloud().deleteSecret(name);
        Output.line(spec, "deleted secret %s", name);
      }
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List an account's secrets (names, versions, ciphertext hashes).")
  static final class ListSecrets implements Runnable {
    @Spec CommandSpec spec;

    @Option(names = "--owner", description = "Whose secrets (default: your account).")
    String owner;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public void run() {
      try (ChainClient c = ChainAccess.open(spec, false)) {
        String who =
            owner != null
                ? owner
                : c.account()
                    .orElseThrow(() -> new UsageException("give --owner or a key (--account N)"));
        List<Map<String, Object>> rows =
            names(c, who).stream()
                .map(n -> c.cloud().secret(who, n))
                .filter(CloudClient.SecretRecord::exists)
                .map(ListSecrets::row)
                .toList();
        if (json) {
          Output.json(spec, rows);
          return;
        }
        Output.line(spec, "%-24s %-8s %s", "NAME", "VERSION", "CIPHERTEXT HASH");
        rows.forEach(
            r ->
                Output.line(spec, "%-24s %-8s %s", r.get("name"), r.get("version"), r.get("hash")));
      }
    }

    private static Map<String, Object> row(CloudClient.SecretRecord s) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", s.name());
      m.put("version", s.version());
      m.put("hash", s.hash());
      return m;
    }

    /** Every name this owner ever put, from the SecretPut events. */
    private static java.util.Set<String> names(ChainClient c, String who) {
      EthFilter f =
          new EthFilter(
              DefaultBlockParameter.valueOf(BigInteger.valueOf(c.deployment().deployBlock())),
              DefaultBlockParameterName.LATEST,
              c.deployment().address("Cloud"));
      f.addSingleTopic(EventEncoder.encode(Cloud.SECRETPUT_EVENT));
      f.addSingleTopic(
          "0x"
              + "0".repeat(24)
              + Address.fromHex(who).toString().substring(2).toLowerCase(java.util.Locale.ROOT));
      EthLog logs;
      try {
        logs = c.web3j().ethGetLogs(f).send();
      } catch (IOException e) {
        throw new ChainException("eth_getLogs failed: " + e.getMessage(), e);
      }
      TreeSet<String> out = new TreeSet<>();
      for (EthLog.LogResult<?> r : logs.getLogs()) {
        if (r.get() instanceof Log l) {
          out.add(Cloud.getSecretPutEventFromLog(l).name);
        }
      }
      return out;
    }
  }

  static void checkName(String name) {
    if (name.isEmpty() || name.length() > 256 || !name.matches("[A-Za-z0-9._-]+")) {
      throw new UsageException(
          "secret names are 1 to 256 characters of letters, digits, '.', '_' and '-': " + name);
    }
  }
}
