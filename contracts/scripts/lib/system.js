// Deploys and wires Subnet, Committee and Cloud with the devnet defaults. Shared by deploy.js, gas.js and tests.
"use strict";

const ETH = 10n ** 18n;
const GWEI = 10n ** 9n;

/** Example levels: prices in wei per block per unit (cpu milli-core, memory MiB, disk GiB, gpu). */
const LEVELS = [
  {
    priceCpu: 1n * GWEI,
    priceMemory: GWEI / 10n,
    priceDisk: 10n * GWEI,
    priceGpu: 10_000n * GWEI,
    minStake: 1n * ETH,
    maxCpu: 4_000,
    maxMemory: 8_192,
    maxDisk: 100,
    maxGpu: 0,
  },
  {
    priceCpu: 2n * GWEI,
    priceMemory: GWEI / 5n,
    priceDisk: 20n * GWEI,
    priceGpu: 20_000n * GWEI,
    minStake: 5n * ETH,
    maxCpu: 16_000,
    maxMemory: 32_768,
    maxDisk: 500,
    maxGpu: 1,
  },
  {
    priceCpu: 4n * GWEI,
    priceMemory: (GWEI * 2n) / 5n,
    priceDisk: 40n * GWEI,
    priceGpu: 40_000n * GWEI,
    minStake: 20n * ETH,
    maxCpu: 64_000,
    maxMemory: 131_072,
    maxDisk: 2_000,
    maxGpu: 8,
  },
];

const DEFAULTS = {
  regions: [{ id: 0, name: "local" }],
  levels: LEVELS,
  settleInterval: 10,
  feeBps: 500,
  complaintMinDeposit: ETH / 10n,
  complainantShareBps: 5_000,
  unstakeCooldown: 20,
  secretNodeMinStake: 1n * ETH,
};

/**
 * Deploys the three contracts from `admin`, wires them and sets the defaults.
 * @returns {{subnet, committee, cloud, deployBlock: number}}
 */
async function deploySystem(ethers, admin, options = {}) {
  const cfg = { ...DEFAULTS, ...options };
  const subnet = await (await ethers.getContractFactory("Subnet", admin)).deploy(admin.address);
  const receipt = await subnet.deploymentTransaction().wait();
  const deployBlock = receipt.blockNumber;
  await subnet.waitForDeployment();
  const committee = await (await ethers.getContractFactory("Committee", admin)).deploy(admin.address);
  await committee.waitForDeployment();
  const cloud = await (await ethers.getContractFactory("Cloud", admin)).deploy(
    await subnet.getAddress(),
    await committee.getAddress(),
    admin.address,
  );
  await cloud.waitForDeployment();

  const send = async (p) => (await p).wait();
  await send(subnet.setCloud(await cloud.getAddress()));
  for (const r of cfg.regions) await send(subnet.setRegion(r.id, r.name));
  for (let i = 0; i < cfg.levels.length; i++) await send(subnet.setLevel(i, cfg.levels[i]));
  await send(subnet.setUnstakeCooldown(cfg.unstakeCooldown));
  await send(subnet.setComplaintParams(cfg.complaintMinDeposit, cfg.complainantShareBps));
  await send(subnet.setSecretNodeMinStake(cfg.secretNodeMinStake));
  await send(cloud.setSettleInterval(cfg.settleInterval));
  await send(cloud.setFeeBps(cfg.feeBps));
  if (cfg.committee && cfg.committee.members.length > 0) {
    await send(committee.setEpoch(1, cfg.committee.members, cfg.committee.quorum));
  }
  return { subnet, committee, cloud, deployBlock };
}

module.exports = { deploySystem, DEFAULTS, LEVELS, ETH, GWEI };
