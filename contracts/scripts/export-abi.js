// Writes target/abi/<Name>.abi (JSON ABI array) and target/abi/<Name>.bin (creation bytecode, hex without 0x)
// for each deployable contract, from Hardhat's artifacts. Run after `npx hardhat compile`.
// The Java module wetee-chain generates its web3j wrappers from these files.
"use strict";

const fs = require("fs");
const path = require("path");

const CONTRACTS = ["Subnet", "Committee", "Cloud"];
const root = path.join(__dirname, "..");
const outDir = path.join(root, "target", "abi");

fs.mkdirSync(outDir, { recursive: true });
for (const name of CONTRACTS) {
  const artifactPath = path.join(root, "artifacts", "contracts", `${name}.sol`, `${name}.json`);
  if (!fs.existsSync(artifactPath)) {
    console.error(`missing artifact ${artifactPath}: run 'npx hardhat compile' first`);
    process.exit(1);
  }
  const artifact = JSON.parse(fs.readFileSync(artifactPath, "utf8"));
  const bytecode = artifact.bytecode.replace(/^0x/, "");
  if (bytecode.length === 0) {
    console.error(`${name} has no bytecode (abstract?)`);
    process.exit(1);
  }
  fs.writeFileSync(path.join(outDir, `${name}.abi`), JSON.stringify(artifact.abi, null, 2) + "\n");
  fs.writeFileSync(path.join(outDir, `${name}.bin`), bytecode + "\n");
  console.log(`exported ${name}: ${artifact.abi.length} ABI entries, ${bytecode.length / 2} bytes`);
}
