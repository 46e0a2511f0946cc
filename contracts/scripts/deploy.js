// Deploys Subnet, Committee and Cloud to the selected network and writes the deployment JSON the Java side reads.
//
//   npx hardhat run scripts/deploy.js --network devnet
//
// Environment:
//   WETEE_RPC_URL          RPC endpoint of the devnet network (default http://127.0.0.1:8545)
//   WETEE_COMMITTEE        comma-separated member addresses of committee epoch 1 (optional)
//   WETEE_QUORUM           quorum of epoch 1 (required with WETEE_COMMITTEE; n/2 < quorum <= n)
//   WETEE_DEPLOYMENT_OUT   output path (default deployment.json in the current directory)
"use strict";

const fs = require("fs");
const path = require("path");
const hre = require("hardhat");
const { deploySystem } = require("./lib/system");

const MNEMONIC = "test test test test test test test test test test test junk";
const ACCOUNT_COUNT = 20;

function committeeFromEnv(env) {
  const raw = (env.WETEE_COMMITTEE || "").trim();
  if (raw === "") return undefined;
  const members = raw.split(",").map((s) => s.trim()).filter((s) => s.length > 0);
  for (const m of members) {
    if (!hre.ethers.isAddress(m)) throw new Error(`WETEE_COMMITTEE: not an address: ${m}`);
  }
  const quorum = Number.parseInt(env.WETEE_QUORUM || "", 10);
  if (!Number.isInteger(quorum)) throw new Error("WETEE_QUORUM must be set to an integer with WETEE_COMMITTEE");
  if (quorum * 2 <= members.length || quorum > members.length) {
    throw new Error(`WETEE_QUORUM ${quorum} must satisfy n/2 < quorum <= n for n = ${members.length}`);
  }
  return { members: members.map((m) => hre.ethers.getAddress(m)), quorum };
}

function devAccounts() {
  const { ethers } = hre;
  const mnemonic = ethers.Mnemonic.fromPhrase(MNEMONIC);
  const accounts = [];
  for (let i = 0; i < ACCOUNT_COUNT; i++) {
    const wallet = ethers.HDNodeWallet.fromMnemonic(mnemonic, `m/44'/60'/0'/0/${i}`);
    accounts.push({
      index: i,
      address: wallet.address,
      privateKey: wallet.privateKey,
      role: i === 0 ? "admin" : i < 10 ? "user" : "devnet",
    });
  }
  return accounts;
}

/** Deploys with the environment's settings and returns the deployment document (without writing it). */
async function deploy(env = process.env) {
  const { ethers, network } = hre;
  const committee = committeeFromEnv(env);
  const [admin] = await ethers.getSigners();
  const { subnet, committee: committeeContract, cloud, deployBlock } = await deploySystem(ethers, admin, { committee });
  const chainId = Number((await ethers.provider.getNetwork()).chainId);
  const rpcUrl = network.config.url || env.WETEE_RPC_URL || "http://127.0.0.1:8545";
  const deployment = {
    chainId,
    rpcUrl,
    deployBlock,
    contracts: {
      Subnet: await subnet.getAddress(),
      Committee: await committeeContract.getAddress(),
      Cloud: await cloud.getAddress(),
    },
    accounts: devAccounts(),
  };
  return deployment;
}

async function main() {
  const deployment = await deploy();
  const { deployBlock, chainId } = deployment;
  const out = path.resolve(process.env.WETEE_DEPLOYMENT_OUT || "deployment.json");
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(deployment, null, 2) + "\n");
  console.log(`deployed Subnet ${deployment.contracts.Subnet}, Committee ${deployment.contracts.Committee}, ` +
    `Cloud ${deployment.contracts.Cloud} at block ${deployBlock} on chain ${chainId}; wrote ${out}`);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}

module.exports = { deploy, devAccounts, committeeFromEnv };
