// Hardhat 2 configuration for the WeTEE contracts.
//
// The machine that builds this project reaches only the npm registry, so solc is never downloaded:
// the compile subtask that resolves a compiler build is overridden to return the solc-js shipped by
// the `solc` npm package (pinned to COMPILER_VERSION in package.json). solidity-coverage runs the
// same compile task, so it uses the same local compiler.
require("@nomicfoundation/hardhat-ethers");
require("@nomicfoundation/hardhat-chai-matchers");
require("solidity-coverage");

const path = require("path");
const { subtask } = require("hardhat/config");
const { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } = require("hardhat/builtin-tasks/task-names");

const COMPILER_VERSION = "0.8.28";
const DEV_MNEMONIC = "test test test test test test test test test test test junk";

subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async (args, hre, runSuper) => {
  if (args.solcVersion !== COMPILER_VERSION) {
    return runSuper();
  }
  const solc = require("solc");
  if (!solc.version().startsWith(COMPILER_VERSION)) {
    throw new Error(`npm solc is ${solc.version()}, expected ${COMPILER_VERSION}; run npm ci`);
  }
  return {
    compilerPath: path.join(path.dirname(require.resolve("solc")), "soljson.js"),
    isSolcJs: true,
    version: args.solcVersion,
    longVersion: solc.version(),
  };
});

const devAccounts = { mnemonic: DEV_MNEMONIC, path: "m/44'/60'/0'/0", initialIndex: 0, count: 20 };

const hardhatNetwork = {
  chainId: 31337,
  // Same EVM version as the compiler target, so measured gas matches the chains we deploy to.
  hardfork: "cancun",
  accounts: { ...devAccounts, accountsBalance: "10000000000000000000000" },
  blockGasLimit: 30_000_000,
};
if (process.env.WETEE_BLOCK_INTERVAL_MS) {
  const interval = Number.parseInt(process.env.WETEE_BLOCK_INTERVAL_MS, 10);
  if (!Number.isFinite(interval) || interval <= 0) {
    throw new Error(`WETEE_BLOCK_INTERVAL_MS must be a positive integer, got ${process.env.WETEE_BLOCK_INTERVAL_MS}`);
  }
  hardhatNetwork.mining = { auto: true, interval };
}

/** @type import('hardhat/config').HardhatUserConfig */
module.exports = {
  solidity: {
    version: COMPILER_VERSION,
    settings: {
      evmVersion: "cancun",
      viaIR: true,
      optimizer: { enabled: true, runs: 200 },
    },
  },
  networks: {
    hardhat: hardhatNetwork,
    devnet: {
      url: process.env.WETEE_RPC_URL || "http://127.0.0.1:8545",
      accounts: devAccounts,
    },
  },
  mocha: { timeout: 120_000 },
};
