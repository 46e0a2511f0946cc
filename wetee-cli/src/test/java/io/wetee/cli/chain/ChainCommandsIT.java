package io.wetee.cli.chain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wetee.chain.Deployment;
import io.wetee.chain.HardhatExtension;
import io.wetee.cli.CliRun;
import io.wetee.cli.ExitCodes;
import io.wetee.common.Json;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(HardhatExtension.class)
class ChainCommandsIT {
  @TempDir Path dir;
  String deployment;

  @BeforeEach
  void writeDeployment(Deployment d) throws Exception {
    Path file = dir.resolve("deployment.json");
    Json.strict().writeValue(file.toFile(), d);
    deployment = file.toString();
  }

  private CliRun run(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--deployment";
    all[1] = deployment;
    System.arraycopy(args, 0, all, 2, args.length);
    return CliRun.of(all);
  }

  private static final String[] REGISTER = {
    "--account",
    "1",
    "worker",
    "register",
    "--name",
    "w1",
    "--endpoint",
    "http://127.0.0.1:7000",
    "--region",
    "0",
    "--level",
    "0",
    "--tee",
    "SIMULATED,TDX",
    "--cpu",
    "4000",
    "--memory",
    "8192",
    "--disk",
    "100"
  };

  @Test
  void registeredWorkerShowsInListJson() throws Exception {
    CliRun reg = run(REGISTER);
    assertThat(reg.exitCode()).as(reg.err()).isZero();
    assertThat(reg.out()).contains("registered worker 0");
    assertThat(run("--account", "1", "worker", "stake", "0", "--amount", "1").exitCode()).isZero();

    CliRun list = run("worker", "list", "--json");
    assertThat(list.exitCode()).as(list.err()).isZero();
    JsonNode workers = Json.lenient().readTree(list.out());
    assertThat(workers).hasSize(1);
    JsonNode w = workers.get(0);
    assertThat(w.get("id").asLong()).isZero();
    assertThat(w.get("name").asText()).isEqualTo("w1");
    assertThat(w.get("endpoint").asText()).isEqualTo("http://127.0.0.1:7000");
    assertThat(w.get("active").asBoolean()).isTrue();
    assertThat(w.get("stake").asText()).isEqualTo("1000000000000000000");
    assertThat(w.get("capacity").get("cpu").asLong()).isEqualTo(4000);
    assertThat(w.get("teeTypes"))
        .extracting(JsonNode::asText)
        .containsExactlyInAnyOrder("SIMULATED", "TDX");
  }

  @Test
  void invalidInputIsRefusedWithExitTwoBeforeAnyTransaction(Deployment d) throws Exception {
    CliRun badTee =
        run(
            "--account",
            "1",
            "worker",
            "register",
            "--name",
            "w",
            "--endpoint",
            "http://x:1",
            "--region",
            "0",
            "--level",
            "0",
            "--tee",
            "QUANTUM",
            "--cpu",
            "1",
            "--memory",
            "1",
            "--disk",
            "1");
    assertThat(badTee.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(badTee.err()).contains("unknown TEE type 'QUANTUM'");

    CliRun badAmount = run("--account", "1", "worker", "stake", "0", "--amount", "lots");
    assertThat(badAmount.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(badAmount.err()).contains("not an amount: 'lots'");

    CliRun noKey = run("worker", "stop", "0");
    assertThat(noKey.exitCode()).isEqualTo(ExitCodes.USAGE);

    CliRun badEndpoint =
        run(
            "--account",
            "1",
            "worker",
            "register",
            "--name",
            "w",
            "--endpoint",
            "ftp://x",
            "--region",
            "0",
            "--level",
            "0",
            "--tee",
            "TDX",
            "--cpu",
            "1",
            "--memory",
            "1",
            "--disk",
            "1");
    assertThat(badEndpoint.exitCode()).isEqualTo(ExitCodes.USAGE);

    CliRun list = run("worker", "list", "--json");
    assertThat(Json.lenient().readTree(list.out())).isEmpty();
  }

  @Test
  void aRevertExitsThreeNamingTheCustomError() {
    CliRun r = run("--account", "1", "worker", "stop", "7");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.REMOTE);
    assertThat(r.err()).contains("Subnet.UnknownWorker(workerId=7)");
    CliRun view = run("worker", "show", "9");
    assertThat(view.exitCode()).isEqualTo(ExitCodes.REMOTE);
    assertThat(view.err()).contains("Subnet.UnknownWorker(workerId=9)");
  }

  @Test
  void unreachableRpcExitsThree() throws Exception {
    Path file = dir.resolve("dead.json");
    String text =
        java.nio.file.Files.readString(Path.of(deployment))
            .replaceAll("http://127.0.0.1:\\d+", "http://127.0.0.1:1");
    java.nio.file.Files.writeString(file, text);
    CliRun r = CliRun.of("--deployment", file.toString(), "worker", "list");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.REMOTE);
  }

  @Test
  void levelsAndPricesAreReadable() throws Exception {
    CliRun levels = run("subnet", "levels", "--json");
    assertThat(levels.exitCode()).as(levels.err()).isZero();
    JsonNode node = Json.lenient().readTree(levels.out());
    assertThat(node.get("levels")).hasSize(3);
    assertThat(node.get("regions").get("0").asText()).isNotBlank();
    CliRun prices = run("subnet", "prices", "--cpu", "500", "--memory", "256", "--disk", "1");
    assertThat(prices.exitCode()).as(prices.err()).isZero();
    assertThat(prices.out()).contains("level 0:");
  }

  @Test
  void secretNodeRegistersAndLists() throws Exception {
    String key = "0x0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";
    CliRun reg =
        run(
            "--account",
            "2",
            "secret-node",
            "register",
            "--endpoint",
            "http://127.0.0.1:7100",
            "--encryption-key",
            key);
    assertThat(reg.exitCode()).as(reg.err()).isZero();
    JsonNode nodes = Json.lenient().readTree(run("secret-node", "list", "--json").out());
    assertThat(nodes).hasSize(1);
    assertThat(nodes.get(0).get("encryptionKey").asText()).isEqualTo(key);
    CliRun bad =
        run(
            "--account",
            "2",
            "secret-node",
            "register",
            "--endpoint",
            "http://x:1",
            "--encryption-key",
            "0x02ff");
    assertThat(bad.exitCode()).isEqualTo(ExitCodes.USAGE);
  }
}
