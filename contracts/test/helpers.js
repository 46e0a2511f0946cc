// Shared helpers for tests and scripts/gas.js: deployment with a committee, worker setup, EIP-712 signing.
"use strict";

const { deploySystem, ETH, GWEI, LEVELS } = require("../scripts/lib/system");

const TEE = { SIMULATED: 0, SGX: 1, TDX: 2, SEV_SNP: 3 };
const TCB = { UpToDate: 0, SWHardeningNeeded: 1, OutOfDate: 4, Revoked: 6 };
const KIND = { SERVICE: 0, TASK: 1 };

const VERDICT_TYPES = {
  Verdict: [
    { name: "workloadId", type: "uint64" },
    { name: "version", type: "uint32" },
    { name: "instance", type: "address" },
    { name: "teeType", type: "uint8" },
    { name: "measurementHash", type: "bytes32" },
    { name: "tcbStatus", type: "uint8" },
    { name: "issuedAt", type: "uint64" },
    { name: "expiresAt", type: "uint64" },
  ],
};

const SETTLE_TYPES = {
  SettleProof: [
    { name: "workloadId", type: "uint64" },
    { name: "version", type: "uint32" },
    { name: "fromBlock", type: "uint64" },
    { name: "toBlock", type: "uint64" },
    { name: "logsRoot", type: "bytes32" },
    { name: "metricsRoot", type: "bytes32" },
  ],
};

const RUN_TYPES = {
  RunResult: [
    { name: "workloadId", type: "uint64" },
    { name: "version", type: "uint32" },
    { name: "runId", type: "uint64" },
    { name: "exitCode", type: "int32" },
    { name: "resultHash", type: "bytes32" },
    { name: "logsHash", type: "bytes32" },
  ],
};

/** A canonical-JSON-like spec of realistic size (the example of DESIGN.md section 6). */
const SPEC = Buffer.from(
  JSON.stringify({
    containers: [
      {
        command: ["python3", "app.py"],
        env: { GREETING: "hello" },
        image: "registry.example/hello@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        name: "web",
        ports: [{ port: 8080, protocol: "http", public: true }],
        resources: { cpu: "500m", disk: "1Gi", memory: "256Mi" },
        secretEnv: { API_KEY: "api-key" },
      },
    ],
    kind: "service",
    name: "hello",
    tee: { allowDebug: false, minTcb: "UpToDate", types: ["TDX", "SEV_SNP", "SIMULATED"] },
  }),
);

const WORKER_SPEC = {
  name: "worker-a",
  endpoint: "https://worker-a.example:8443",
  regionId: 0,
  levelId: 0,
  teeTypes: 0b1101, // SIMULATED, TDX, SEV_SNP
  cpu: 8_000,
  mem: 16_384,
  disk: 200,
  gpu: 0,
};

function createParams(workerId, overrides = {}) {
  return {
    workerId,
    kind: KIND.SERVICE,
    teeTypes: 0b1101,
    allowDebug: false,
    levelId: 0,
    regionId: 0,
    cpu: 500,
    mem: 256,
    disk: 1,
    gpu: 0,
    runPrice: 0,
    everyBlocks: 0,
    ...overrides,
  };
}

async function domainOf(contract, name) {
  const { chainId } = await contract.runner.provider.getNetwork();
  return { name, version: "1", chainId, verifyingContract: await contract.getAddress() };
}

/** Signatures of `signers` over `verdict`, ordered by ascending signer address. */
async function signVerdict(committee, signers, verdict) {
  const domain = await domainOf(committee, "WeTEE Committee");
  const sorted = [...signers].sort((a, b) => (BigInt(a.address) < BigInt(b.address) ? -1 : 1));
  return Promise.all(sorted.map((s) => s.signTypedData(domain, VERDICT_TYPES, verdict)));
}

async function signSettle(cloud, instance, proof) {
  return instance.signTypedData(await domainOf(cloud, "WeTEE Cloud"), SETTLE_TYPES, proof);
}

async function signRun(cloud, instance, result) {
  return instance.signTypedData(await domainOf(cloud, "WeTEE Cloud"), RUN_TYPES, result);
}

/**
 * Deploys the system with a committee of 4 members (quorum 3), registers and stakes worker 0 (level 0, region 0).
 * Signers: 0 admin, 1 worker account, 2-3 users, 10-13 committee members.
 */
async function deployWithWorker(ethers) {
  const signers = await ethers.getSigners();
  const [admin, workerAccount, user, other] = signers;
  const members = signers.slice(10, 14);
  const sys = await deploySystem(ethers, admin, {
    committee: { members: members.map((m) => m.address), quorum: 3 },
  });
  await (await sys.subnet.connect(workerAccount).registerWorker(WORKER_SPEC)).wait();
  await (await sys.subnet.connect(workerAccount).stakeWorker(0, { value: LEVELS[0].minStake })).wait();
  return { ...sys, admin, workerAccount, user, other, members, signers };
}

function verdictFor(workloadId, version, instance, timestamp, overrides = {}) {
  return {
    workloadId,
    version,
    instance,
    teeType: TEE.SIMULATED,
    measurementHash: "0x" + "11".repeat(32),
    tcbStatus: TCB.UpToDate,
    issuedAt: timestamp,
    expiresAt: timestamp + 3600,
    ...overrides,
  };
}

module.exports = {
  TEE,
  TCB,
  KIND,
  SPEC,
  WORKER_SPEC,
  ETH,
  GWEI,
  LEVELS,
  VERDICT_TYPES,
  SETTLE_TYPES,
  RUN_TYPES,
  createParams,
  domainOf,
  signVerdict,
  signSettle,
  signRun,
  deployWithWorker,
  verdictFor,
};
