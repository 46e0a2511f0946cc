package io.wetee.cli.devnet;

import io.wetee.chain.Deployment;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** Prints what a newcomer needs after {@code wetee devnet} started. */
final class DevnetSummary {
  private DevnetSummary() {}

  static void print(PrintWriter out, Deployment d, Path deploymentFile, Path home) {
    out.println();
    out.println("WeTEE devnet is running.");
    out.printf("  chain id      %d%n", d.chainId());
    out.printf("  JSON-RPC      %s%n", d.rpcUrl());
    out.printf("  deployment    %s%n", deploymentFile);
    out.printf("  chain log     %s%n", home.resolve("chain.log"));
    for (Map.Entry<String, String> c : new TreeMap<>(d.contracts()).entrySet()) {
      out.printf("  %-13s %s%n", c.getKey(), c.getValue());
    }
    out.println();
    out.println("Development accounts (well-known Hardhat keys; never use them on a real chain):");
    for (Deployment.Account a : d.accounts()) {
      if (a.index() <= 9) {
        out.printf("  #%-2d %-6s %s  key %s%n", a.index(), a.role(), a.address(), a.privateKey());
      }
    }
    out.println("  #10 and up are used by processes the devnet starts.");
    out.println();
    out.println("Try, in another terminal:");
    out.println(
        "  ./wetee --account 1 worker register --name w1 --endpoint http://127.0.0.1:7000 \\");
    out.println("      --region 0 --level 0 --tee SIMULATED --cpu 4000 --memory 8192 --disk 100");
    out.println("  ./wetee worker list --json");
    out.println();
    out.println("Press Ctrl-C to stop.");
    out.flush();
  }
}
