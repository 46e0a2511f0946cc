const { expect } = require("chai");
const { ethers } = require("hardhat");
const { loadFixture, mine } = require("@nomicfoundation/hardhat-network-helpers");
const h = require("./helpers");
const { deploySystem } = require("../scripts/lib/system");

const SIM_KEY = "0x02" + "ab".repeat(32);
const PPID_FMSPC = "0x" + "cd".repeat(22);
const CHIP_ID = "0x" + "ef".repeat(64);
const ENC_KEY = "0x03" + "12".repeat(32);
const RES = { cpu: 500, mem: 256, disk: 1, gpu: 0 };

describe("Subnet", () => {
  async function fixture() {
    const signers = await ethers.getSigners();
    const [admin, worker, user, other] = signers;
    const sys = await deploySystem(ethers, admin);
    return { ...sys, admin, worker, user, other, signers };
  }

  /** Worker 0 registered by `worker` and staked at the level minimum. */
  async function withWorker() {
    const ctx = await fixture();
    await ctx.subnet.connect(ctx.worker).registerWorker(h.WORKER_SPEC);
    await ctx.subnet.connect(ctx.worker).stakeWorker(0, { value: h.LEVELS[0].minStake });
    return ctx;
  }

  /** As withWorker, with the admin standing in for Cloud so reserve/release can be called directly. */
  async function asCloud() {
    const ctx = await withWorker();
    await ctx.subnet.setCloud(ctx.admin.address);
    return ctx;
  }

  describe("admin setters", () => {
    it("set cloud, regions, levels and parameters with events", async () => {
      const { subnet, other } = await loadFixture(fixture);
      await expect(subnet.setCloud(other.address)).to.emit(subnet, "CloudSet").withArgs(other.address);
      expect(await subnet.cloud()).to.equal(other.address);
      await expect(subnet.setRegion(7, "eu-west")).to.emit(subnet, "RegionSet").withArgs(7, "eu-west");
      expect(await subnet.getRegion(7)).to.equal("eu-west");
      const l = h.LEVELS[1];
      await expect(subnet.setLevel(9, l))
        .to.emit(subnet, "LevelSet")
        .withArgs(9, l.priceCpu, l.priceMemory, l.priceDisk, l.priceGpu, l.minStake, l.maxCpu, l.maxMemory, l.maxDisk, l.maxGpu);
      const got = await subnet.getLevel(9);
      expect(got.minStake).to.equal(l.minStake);
      expect(got.priceGpu).to.equal(l.priceGpu);
      await expect(subnet.setUnstakeCooldown(33)).to.emit(subnet, "UnstakeCooldownSet").withArgs(33);
      expect(await subnet.unstakeCooldown()).to.equal(33n);
      await expect(subnet.setComplaintParams(5n, 2500)).to.emit(subnet, "ComplaintParamsSet").withArgs(5n, 2500);
      expect(await subnet.complaintMinDeposit()).to.equal(5n);
      expect(await subnet.complainantShareBps()).to.equal(2500n);
      await expect(subnet.setSecretNodeMinStake(7n)).to.emit(subnet, "SecretNodeMinStakeSet").withArgs(7n);
      expect(await subnet.secretNodeMinStake()).to.equal(7n);
    });

    it("validate their input", async () => {
      const { subnet } = await loadFixture(fixture);
      await expect(subnet.setCloud(ethers.ZeroAddress)).to.be.revertedWithCustomError(subnet, "InvalidAddress");
      await expect(subnet.setRegion(1, "")).to.be.revertedWithCustomError(subnet, "InvalidRegion");
      await expect(subnet.setLevel(1, { ...h.LEVELS[0], minStake: 0 })).to.be.revertedWithCustomError(subnet, "InvalidLevel");
      await expect(subnet.setComplaintParams(1, 10_001)).to.be.revertedWithCustomError(subnet, "InvalidBps").withArgs(10_001);
    });

    it("are admin only", async () => {
      const { subnet, other } = await loadFixture(fixture);
      const s = subnet.connect(other);
      const calls = [
        () => s.setCloud(other.address),
        () => s.setRegion(1, "x"),
        () => s.setLevel(1, h.LEVELS[0]),
        () => s.setUnstakeCooldown(1),
        () => s.setComplaintParams(1, 1),
        () => s.setSecretNodeMinStake(1),
        () => s.resolveComplaint(0, false, 0),
        () => s.withdrawTreasury(other.address, 0),
      ];
      for (const call of calls) {
        await expect(call()).to.be.revertedWithCustomError(subnet, "OwnableUnauthorizedAccount").withArgs(other.address);
      }
    });

    it("ownership moves in two steps and cannot be renounced", async () => {
      const { subnet, admin, other } = await loadFixture(fixture);
      await expect(subnet.renounceOwnership()).to.be.revertedWithCustomError(subnet, "RenounceDisabled");
      await subnet.transferOwnership(other.address);
      expect(await subnet.pendingOwner()).to.equal(other.address);
      await subnet.connect(other).acceptOwnership();
      expect(await subnet.owner()).to.equal(other.address);
      await expect(subnet.setUnstakeCooldown(1)).to.be.revertedWithCustomError(subnet, "OwnableUnauthorizedAccount").withArgs(admin.address);
    });

    it("views revert on unknown ids", async () => {
      const { subnet } = await loadFixture(fixture);
      await expect(subnet.getRegion(99)).to.be.revertedWithCustomError(subnet, "UnknownRegion").withArgs(99);
      await expect(subnet.getLevel(99)).to.be.revertedWithCustomError(subnet, "UnknownLevel").withArgs(99);
      await expect(subnet.getWorker(99)).to.be.revertedWithCustomError(subnet, "UnknownWorker").withArgs(99);
      await expect(subnet.getSecretNode(99)).to.be.revertedWithCustomError(subnet, "UnknownSecretNode").withArgs(99);
      await expect(subnet.getComplaint(99)).to.be.revertedWithCustomError(subnet, "UnknownComplaint").withArgs(99);
    });
  });

  describe("workers", () => {
    it("register with events and a readable record", async () => {
      const { subnet, worker } = await loadFixture(fixture);
      const s = h.WORKER_SPEC;
      await expect(subnet.connect(worker).registerWorker(s))
        .to.emit(subnet, "WorkerRegistered")
        .withArgs(0, worker.address, s.name, s.endpoint)
        .and.to.emit(subnet, "WorkerConfigured")
        .withArgs(0, s.regionId, s.levelId, s.teeTypes, s.cpu, s.mem, s.disk, s.gpu);
      expect(await subnet.nextWorkerId()).to.equal(1n);
      const w = await subnet.getWorker(0);
      expect(w.id).to.equal(0n);
      expect(w.account).to.equal(worker.address);
      expect(w.name).to.equal(s.name);
      expect(w.endpoint).to.equal(s.endpoint);
      expect(w.teeTypes).to.equal(BigInt(s.teeTypes));
      expect(w.status).to.equal(1n);
      expect(w.active).to.equal(false); // not staked yet
      expect(w.capacity.cpu).to.equal(BigInt(s.cpu));
      expect(w.used.cpu).to.equal(0n);
      expect(await subnet.workerAccount(0)).to.equal(worker.address);
    });

    it("registration validates region, level and TEE types", async () => {
      const { subnet, worker } = await loadFixture(fixture);
      const s = subnet.connect(worker);
      await expect(s.registerWorker({ ...h.WORKER_SPEC, regionId: 5 })).to.be.revertedWithCustomError(subnet, "UnknownRegion").withArgs(5);
      await expect(s.registerWorker({ ...h.WORKER_SPEC, levelId: 5 })).to.be.revertedWithCustomError(subnet, "UnknownLevel").withArgs(5);
      await expect(s.registerWorker({ ...h.WORKER_SPEC, teeTypes: 0 })).to.be.revertedWithCustomError(subnet, "InvalidTeeTypes").withArgs(0);
      await expect(s.registerWorker({ ...h.WORKER_SPEC, teeTypes: 0x10 })).to.be.revertedWithCustomError(subnet, "InvalidTeeTypes").withArgs(0x10);
    });

    it("stake makes a worker active from the level minimum", async () => {
      const { subnet, worker, other } = await loadFixture(fixture);
      await subnet.connect(worker).registerWorker(h.WORKER_SPEC);
      const half = h.LEVELS[0].minStake / 2n;
      await expect(subnet.connect(other).stakeWorker(0, { value: half }))
        .to.emit(subnet, "WorkerStaked")
        .withArgs(0, other.address, half, half);
      expect(await subnet.isWorkerActive(0)).to.equal(false);
      await subnet.connect(worker).stakeWorker(0, { value: half });
      expect(await subnet.isWorkerActive(0)).to.equal(true);
      expect((await subnet.getWorker(0)).stake).to.equal(h.LEVELS[0].minStake);
      await expect(subnet.stakeWorker(0)).to.be.revertedWithCustomError(subnet, "ZeroValue");
      await expect(subnet.stakeWorker(3, { value: 1 })).to.be.revertedWithCustomError(subnet, "UnknownWorker").withArgs(3);
    });

    it("update changes the declaration with events", async () => {
      const { subnet, worker } = await loadFixture(withWorker);
      await subnet.setRegion(1, "eu");
      const spec = { ...h.WORKER_SPEC, name: "renamed", endpoint: "https://x", regionId: 1, levelId: 1, teeTypes: 0b0110, cpu: 1, mem: 2, disk: 3, gpu: 1 };
      await expect(subnet.connect(worker).updateWorker(0, spec))
        .to.emit(subnet, "WorkerUpdated")
        .withArgs(0, "renamed", "https://x")
        .and.to.emit(subnet, "WorkerConfigured")
        .withArgs(0, 1, 1, 0b0110, 1, 2, 3, 1);
      const w = await subnet.getWorker(0);
      expect([w.name, w.regionId, w.levelId, w.teeTypes, w.capacity.gpu]).to.deep.equal(["renamed", 1n, 1n, 6n, 1n]);
      expect(w.active).to.equal(false); // level 1 needs 5 ETH
    });

    it("update is for the worker's account, keeps placement while busy and capacity above use", async () => {
      const { subnet, worker, other, admin } = await loadFixture(asCloud);
      await expect(subnet.connect(other).updateWorker(0, h.WORKER_SPEC)).to.be.revertedWithCustomError(subnet, "NotWorkerAccount").withArgs(0);
      await expect(subnet.connect(worker).updateWorker(4, h.WORKER_SPEC)).to.be.revertedWithCustomError(subnet, "UnknownWorker").withArgs(4);
      await subnet.connect(admin).reserve(0, 0, 0, 1, RES);
      await expect(subnet.connect(worker).updateWorker(0, { ...h.WORKER_SPEC, levelId: 1 }))
        .to.be.revertedWithCustomError(subnet, "WorkerBusy")
        .withArgs(0, 1);
      await subnet.setRegion(1, "eu");
      await expect(subnet.connect(worker).updateWorker(0, { ...h.WORKER_SPEC, regionId: 1 }))
        .to.be.revertedWithCustomError(subnet, "WorkerBusy")
        .withArgs(0, 1);
      for (const field of ["cpu", "mem", "disk"]) {
        await expect(subnet.connect(worker).updateWorker(0, { ...h.WORKER_SPEC, [field]: 0 })).to.be.revertedWithCustomError(subnet, "CapacityBelowUsed");
      }
      await subnet.connect(admin).reserve(0, 0, 0, 1, { cpu: 0, mem: 0, disk: 0, gpu: 0 });
      await subnet.connect(worker).updateWorker(0, { ...h.WORKER_SPEC, cpu: 500, gpu: 0 });
    });

    it("stop, cooldown and unstake credit the stake for withdrawal", async () => {
      const { subnet, worker } = await loadFixture(withWorker);
      await expect(subnet.connect(worker).unstakeWorker(0)).to.be.revertedWithCustomError(subnet, "WorkerNotStopped").withArgs(0);
      const tx = subnet.connect(worker).stopWorker(0);
      await expect(tx).to.emit(subnet, "WorkerStopped");
      const stoppedAt = (await (await tx).wait()).blockNumber;
      expect(await subnet.isWorkerActive(0)).to.equal(false);
      await expect(subnet.connect(worker).stopWorker(0)).to.be.revertedWithCustomError(subnet, "WorkerNotActive").withArgs(0);
      await expect(subnet.connect(worker).unstakeWorker(0))
        .to.be.revertedWithCustomError(subnet, "CooldownActive")
        .withArgs(stoppedAt + 20);
      await mine(20);
      const stake = h.LEVELS[0].minStake;
      await expect(subnet.connect(worker).unstakeWorker(0)).to.emit(subnet, "WorkerUnstaked").withArgs(0, worker.address, stake);
      expect(await subnet.balances(worker.address)).to.equal(stake);
      await expect(subnet.connect(worker).unstakeWorker(0)).to.be.revertedWithCustomError(subnet, "NothingStaked");
      await expect(subnet.connect(worker).withdraw()).to.changeEtherBalances([worker, subnet], [stake, -stake]);
      await expect(subnet.connect(worker).withdraw()).to.be.revertedWithCustomError(subnet, "NothingToWithdraw");
    });

    it("cannot unstake with workloads", async () => {
      const { subnet, worker, admin } = await loadFixture(asCloud);
      await subnet.connect(admin).reserve(0, 0, 0, 1, RES);
      await subnet.connect(worker).stopWorker(0);
      await mine(20);
      await expect(subnet.connect(worker).unstakeWorker(0)).to.be.revertedWithCustomError(subnet, "WorkerBusy").withArgs(0, 1);
      await subnet.connect(admin).release(0, RES);
      await subnet.connect(worker).unstakeWorker(0);
    });
  });

  describe("platform identities", () => {
    it("register and resolve to the worker, one owner per identity", async () => {
      const { subnet, worker, signers } = await loadFixture(withWorker);
      const key = ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode(["uint8", "bytes"], [h.TEE.SIMULATED, SIM_KEY]));
      expect(await subnet.platformKey(h.TEE.SIMULATED, SIM_KEY)).to.equal(key);
      await expect(subnet.connect(worker).registerPlatform(0, h.TEE.SIMULATED, SIM_KEY))
        .to.emit(subnet, "PlatformRegistered")
        .withArgs(0, h.TEE.SIMULATED, key, SIM_KEY);
      expect(await subnet.platformWorker(h.TEE.SIMULATED, SIM_KEY)).to.deep.equal([true, 0n]);
      expect(await subnet.platformWorkerByKey(key)).to.deep.equal([true, 0n]);
      expect(await subnet.platformWorker(h.TEE.TDX, PPID_FMSPC)).to.deep.equal([false, 0n]);
      await subnet.connect(worker).registerPlatform(0, h.TEE.TDX, PPID_FMSPC);
      await subnet.connect(worker).registerPlatform(0, h.TEE.SEV_SNP, CHIP_ID);
      // A second worker cannot claim the same hardware.
      await subnet.connect(signers[4]).registerWorker(h.WORKER_SPEC);
      await expect(subnet.connect(signers[4]).registerPlatform(1, h.TEE.SIMULATED, SIM_KEY))
        .to.be.revertedWithCustomError(subnet, "PlatformAlreadyRegistered")
        .withArgs(0);
    });

    it("validate TEE type and identity format", async () => {
      const { subnet, worker, other } = await loadFixture(withWorker);
      const s = subnet.connect(worker);
      await expect(s.registerPlatform(0, h.TEE.SGX, PPID_FMSPC)).to.be.revertedWithCustomError(subnet, "InvalidTeeType").withArgs(h.TEE.SGX);
      await expect(s.registerPlatform(0, 4, PPID_FMSPC)).to.be.revertedWithCustomError(subnet, "InvalidTeeType").withArgs(4);
      await expect(s.registerPlatform(0, h.TEE.SIMULATED, "0x04" + "ab".repeat(32)))
        .to.be.revertedWithCustomError(subnet, "InvalidIdentity")
        .withArgs(h.TEE.SIMULATED, 33);
      await expect(s.registerPlatform(0, h.TEE.SIMULATED, "0x02" + "ab".repeat(31)))
        .to.be.revertedWithCustomError(subnet, "InvalidIdentity")
        .withArgs(h.TEE.SIMULATED, 32);
      await expect(s.registerPlatform(0, h.TEE.TDX, CHIP_ID)).to.be.revertedWithCustomError(subnet, "InvalidIdentity").withArgs(h.TEE.TDX, 64);
      await expect(s.registerPlatform(0, h.TEE.SEV_SNP, PPID_FMSPC))
        .to.be.revertedWithCustomError(subnet, "InvalidIdentity")
        .withArgs(h.TEE.SEV_SNP, 22);
      await expect(subnet.connect(other).registerPlatform(0, h.TEE.TDX, PPID_FMSPC)).to.be.revertedWithCustomError(subnet, "NotWorkerAccount").withArgs(0);
    });

    it("remove by the worker or the admin", async () => {
      const { subnet, worker, other, admin } = await loadFixture(withWorker);
      await subnet.connect(worker).registerPlatform(0, h.TEE.SIMULATED, SIM_KEY);
      await subnet.connect(worker).registerPlatform(0, h.TEE.TDX, PPID_FMSPC);
      const key = await subnet.platformKey(h.TEE.SIMULATED, SIM_KEY);
      await expect(subnet.connect(other).removePlatform(0, h.TEE.SIMULATED, SIM_KEY)).to.be.revertedWithCustomError(subnet, "NotWorkerAccount").withArgs(0);
      await expect(subnet.connect(worker).removePlatform(0, h.TEE.SIMULATED, SIM_KEY))
        .to.emit(subnet, "PlatformRemoved")
        .withArgs(0, h.TEE.SIMULATED, key);
      expect(await subnet.platformWorker(h.TEE.SIMULATED, SIM_KEY)).to.deep.equal([false, 0n]);
      await expect(subnet.connect(worker).removePlatform(0, h.TEE.SIMULATED, SIM_KEY)).to.be.revertedWithCustomError(subnet, "PlatformNotRegistered");
      await subnet.connect(admin).removePlatform(0, h.TEE.TDX, PPID_FMSPC);
      await expect(subnet.removePlatform(8, h.TEE.TDX, PPID_FMSPC)).to.be.revertedWithCustomError(subnet, "UnknownWorker").withArgs(8);
    });
  });

  describe("complaints", () => {
    it("filed with a deposit, upheld: slash split and deposit returned", async () => {
      const { subnet, other, admin } = await loadFixture(withWorker);
      const deposit = h.ETH / 10n;
      const evidence = ethers.id("evidence");
      await expect(subnet.connect(other).complain(0, "wrong measurement", evidence, { value: deposit }))
        .to.emit(subnet, "ComplaintFiled")
        .withArgs(0, 0, other.address, deposit, "wrong measurement", evidence);
      const c = await subnet.getComplaint(0);
      expect([c.complainant, c.workerId, c.status, c.deposit, c.evidenceHash]).to.deep.equal([other.address, 0n, 1n, deposit, evidence]);
      expect(await subnet.nextComplaintId()).to.equal(1n);
      const slash = h.ETH / 2n;
      await expect(subnet.resolveComplaint(0, true, slash))
        .to.emit(subnet, "ComplaintResolved")
        .withArgs(0, 0, true, slash, slash / 2n, slash / 2n);
      expect((await subnet.getWorker(0)).stake).to.equal(h.ETH - slash);
      expect(await subnet.isWorkerActive(0)).to.equal(false);
      expect(await subnet.balances(other.address)).to.equal(deposit + slash / 2n);
      expect(await subnet.treasuryBalance()).to.equal(slash / 2n);
      expect((await subnet.getComplaint(0)).status).to.equal(2n);
      await expect(subnet.resolveComplaint(0, true, 1)).to.be.revertedWithCustomError(subnet, "ComplaintNotOpen").withArgs(0);
      await expect(subnet.withdrawTreasury(admin.address, slash / 2n))
        .to.emit(subnet, "TreasuryWithdrawn")
        .withArgs(admin.address, slash / 2n);
      expect(await subnet.treasuryBalance()).to.equal(0n);
    });

    it("slashing is capped by the stake", async () => {
      const { subnet, other } = await loadFixture(withWorker);
      await subnet.connect(other).complain(0, "x", ethers.ZeroHash, { value: h.ETH / 10n });
      await expect(subnet.resolveComplaint(0, true, 100n * h.ETH))
        .to.emit(subnet, "ComplaintResolved")
        .withArgs(0, 0, true, h.ETH, h.ETH / 2n, h.ETH / 2n);
      expect((await subnet.getWorker(0)).stake).to.equal(0n);
    });

    it("rejected: deposit goes to the treasury", async () => {
      const { subnet, other } = await loadFixture(withWorker);
      const deposit = h.ETH / 5n;
      await subnet.connect(other).complain(0, "spam", ethers.ZeroHash, { value: deposit });
      await expect(subnet.resolveComplaint(0, false, 0)).to.emit(subnet, "ComplaintResolved").withArgs(0, 0, false, 0, 0, deposit);
      expect(await subnet.treasuryBalance()).to.equal(deposit);
      expect((await subnet.getComplaint(0)).status).to.equal(3n);
    });

    it("validate worker, deposit and complaint id", async () => {
      const { subnet, other, admin } = await loadFixture(withWorker);
      await expect(subnet.connect(other).complain(3, "x", ethers.ZeroHash, { value: h.ETH })).to.be.revertedWithCustomError(subnet, "UnknownWorker").withArgs(3);
      await expect(subnet.connect(other).complain(0, "x", ethers.ZeroHash, { value: 1 }))
        .to.be.revertedWithCustomError(subnet, "DepositTooLow")
        .withArgs(1, h.ETH / 10n);
      await subnet.setComplaintParams(0, 5000);
      await expect(subnet.connect(other).complain(0, "x", ethers.ZeroHash)).to.be.revertedWithCustomError(subnet, "DepositTooLow").withArgs(0, 0);
      await expect(subnet.resolveComplaint(5, true, 1)).to.be.revertedWithCustomError(subnet, "UnknownComplaint").withArgs(5);
      await expect(subnet.withdrawTreasury(admin.address, 1)).to.be.revertedWithCustomError(subnet, "AmountExceedsTreasury").withArgs(1, 0);
      await expect(subnet.withdrawTreasury(ethers.ZeroAddress, 0)).to.be.revertedWithCustomError(subnet, "InvalidAddress");
    });
  });

  describe("capacity (Cloud only)", () => {
    it("reserve returns the price and tracks use; release frees it", async () => {
      const { subnet, admin } = await loadFixture(asCloud);
      const l = h.LEVELS[0];
      const expected = 500n * l.priceCpu + 256n * l.priceMemory + 1n * l.priceDisk;
      expect(await subnet.connect(admin).reserve.staticCall(0, 0, 0, 1, RES)).to.equal(expected);
      await subnet.connect(admin).reserve(0, 0, 0, 1, RES);
      let w = await subnet.getWorker(0);
      expect([w.used.cpu, w.used.mem, w.used.disk, w.used.gpu, w.workloads]).to.deep.equal([500n, 256n, 1n, 0n, 1n]);
      await subnet.connect(admin).release(0, RES);
      w = await subnet.getWorker(0);
      expect([w.used.cpu, w.workloads]).to.deep.equal([0n, 0n]);
      await expect(subnet.connect(admin).release(0, RES)).to.be.revertedWithCustomError(subnet, "ReleaseExceedsReserved");
    });

    it("reserve checks the worker, placement, TEE types, level maximum, stake and capacity", async () => {
      const { subnet, admin, worker, signers } = await loadFixture(asCloud);
      const s = subnet.connect(admin);
      await expect(s.reserve(9, 0, 0, 1, RES)).to.be.revertedWithCustomError(subnet, "UnknownWorker").withArgs(9);
      await expect(s.reserve(0, 0, 1, 1, RES)).to.be.revertedWithCustomError(subnet, "WrongRegion").withArgs(0, 1);
      await expect(s.reserve(0, 1, 0, 1, RES)).to.be.revertedWithCustomError(subnet, "WrongLevel").withArgs(0, 1);
      await expect(s.reserve(0, 0, 0, 0b0010, RES)).to.be.revertedWithCustomError(subnet, "TeeTypeNotSupported").withArgs(0b0010, 0b1101);
      await expect(s.reserve(0, 0, 0, 1, { ...RES, cpu: 4001 })).to.be.revertedWithCustomError(subnet, "ResourcesAboveLevelMax");
      await expect(s.reserve(0, 0, 0, 1, { ...RES, mem: 8193 })).to.be.revertedWithCustomError(subnet, "ResourcesAboveLevelMax");
      await expect(s.reserve(0, 0, 0, 1, { ...RES, disk: 101 })).to.be.revertedWithCustomError(subnet, "ResourcesAboveLevelMax");
      await expect(s.reserve(0, 0, 0, 1, { ...RES, gpu: 1 })).to.be.revertedWithCustomError(subnet, "ResourcesAboveLevelMax");
      // Capacity: worker has 8000 cpu, level max 4000 per workload.
      await s.reserve(0, 0, 0, 1, { ...RES, cpu: 4000 });
      await s.reserve(0, 0, 0, 1, { ...RES, cpu: 3600 });
      await expect(s.reserve(0, 0, 0, 1, RES)).to.be.revertedWithCustomError(subnet, "InsufficientCapacity");
      // Stake below the level minimum.
      await subnet.connect(signers[4]).registerWorker(h.WORKER_SPEC);
      await expect(s.reserve(1, 0, 0, 1, RES)).to.be.revertedWithCustomError(subnet, "InsufficientStake").withArgs(0, h.LEVELS[0].minStake);
      // Stopped worker.
      await subnet.connect(worker).stopWorker(0);
      await expect(s.reserve(0, 0, 0, 1, RES)).to.be.revertedWithCustomError(subnet, "WorkerNotActive").withArgs(0);
    });

    it("rejects callers other than Cloud", async () => {
      const { subnet, other } = await loadFixture(withWorker);
      await expect(subnet.connect(other).reserve(0, 0, 0, 1, RES)).to.be.revertedWithCustomError(subnet, "NotCloud");
      await expect(subnet.connect(other).release(0, RES)).to.be.revertedWithCustomError(subnet, "NotCloud");
    });
  });

  describe("secret nodes", () => {
    it("register, stake, leave and unstake after the cooldown", async () => {
      const { subnet, other } = await loadFixture(fixture);
      await expect(subnet.connect(other).registerSecretNode("https://sn", ENC_KEY))
        .to.emit(subnet, "SecretNodeRegistered")
        .withArgs(0, other.address, "https://sn", ENC_KEY);
      expect(await subnet.nextSecretNodeId()).to.equal(1n);
      await expect(subnet.connect(other).stakeSecretNode(0, { value: h.ETH }))
        .to.emit(subnet, "SecretNodeStaked")
        .withArgs(0, other.address, h.ETH, h.ETH);
      let n = await subnet.getSecretNode(0);
      expect([n.account, n.status, n.stake, n.endpoint, n.encryptionKey]).to.deep.equal([other.address, 1n, h.ETH, "https://sn", ENC_KEY]);
      await expect(subnet.connect(other).unstakeSecretNode(0)).to.be.revertedWithCustomError(subnet, "SecretNodeNotLeft").withArgs(0);
      const tx = await subnet.connect(other).leaveSecretNode(0);
      const leftAt = (await tx.wait()).blockNumber;
      await expect(tx).to.emit(subnet, "SecretNodeLeft").withArgs(0, leftAt);
      await expect(subnet.connect(other).leaveSecretNode(0)).to.be.revertedWithCustomError(subnet, "SecretNodeNotActive").withArgs(0);
      await expect(subnet.stakeSecretNode(0, { value: 1 })).to.be.revertedWithCustomError(subnet, "SecretNodeNotActive").withArgs(0);
      await expect(subnet.connect(other).unstakeSecretNode(0)).to.be.revertedWithCustomError(subnet, "CooldownActive").withArgs(leftAt + 20);
      await mine(20);
      await expect(subnet.connect(other).unstakeSecretNode(0)).to.emit(subnet, "SecretNodeUnstaked").withArgs(0, other.address, h.ETH);
      await expect(subnet.connect(other).unstakeSecretNode(0)).to.be.revertedWithCustomError(subnet, "NothingStaked");
      n = await subnet.getSecretNode(0);
      expect([n.status, n.stake]).to.deep.equal([2n, 0n]);
      await expect(subnet.connect(other).withdraw()).to.emit(subnet, "Withdrawn").withArgs(other.address, h.ETH);
    });

    it("validate key, id, value and account", async () => {
      const { subnet, other, user } = await loadFixture(fixture);
      await expect(subnet.registerSecretNode("x", "0x02" + "00".repeat(31))).to.be.revertedWithCustomError(subnet, "InvalidEncryptionKey");
      await expect(subnet.registerSecretNode("x", "0x04" + "00".repeat(32))).to.be.revertedWithCustomError(subnet, "InvalidEncryptionKey");
      await subnet.connect(other).registerSecretNode("x", ENC_KEY);
      await expect(subnet.stakeSecretNode(0)).to.be.revertedWithCustomError(subnet, "ZeroValue");
      await expect(subnet.stakeSecretNode(4, { value: 1 })).to.be.revertedWithCustomError(subnet, "UnknownSecretNode").withArgs(4);
      await expect(subnet.connect(user).leaveSecretNode(0)).to.be.revertedWithCustomError(subnet, "NotSecretNodeAccount").withArgs(0);
      await expect(subnet.leaveSecretNode(4)).to.be.revertedWithCustomError(subnet, "UnknownSecretNode").withArgs(4);
    });
  });

  describe("payments", () => {
    it("a withdrawal that the receiver rejects reverts with TransferFailed", async () => {
      const { subnet } = await loadFixture(fixture);
      const acct = await (await ethers.getContractFactory("ForwardingAccount")).deploy();
      const data = subnet.interface.encodeFunctionData("registerSecretNode", ["x", ENC_KEY]);
      await acct.forward(await subnet.getAddress(), data);
      await acct.forward(await subnet.getAddress(), subnet.interface.encodeFunctionData("stakeSecretNode", [0]), { value: 10n });
      await acct.forward(await subnet.getAddress(), subnet.interface.encodeFunctionData("leaveSecretNode", [0]));
      await mine(20);
      await acct.forward(await subnet.getAddress(), subnet.interface.encodeFunctionData("unstakeSecretNode", [0]));
      const withdraw = subnet.interface.encodeFunctionData("withdraw");
      await expect(acct.forward(await subnet.getAddress(), withdraw)).to.be.revertedWithCustomError(subnet, "TransferFailed");
      await acct.setAcceptEther(true);
      await expect(acct.forward(await subnet.getAddress(), withdraw)).to.changeEtherBalance(acct, 10n);
    });

    it("stake amounts above uint128 are refused", async () => {
      const { subnet, worker } = await loadFixture(withWorker);
      const { setBalance } = require("@nomicfoundation/hardhat-network-helpers");
      const huge = 2n ** 128n;
      await setBalance(worker.address, huge * 2n);
      await expect(subnet.connect(worker).stakeWorker(0, { value: huge })).to.be.revertedWithCustomError(subnet, "AmountTooLarge");
      await subnet.connect(worker).registerSecretNode("x", ENC_KEY);
      await expect(subnet.connect(worker).stakeSecretNode(0, { value: huge })).to.be.revertedWithCustomError(subnet, "AmountTooLarge");
      await expect(subnet.connect(worker).complain(0, "x", ethers.ZeroHash, { value: huge })).to.be.revertedWithCustomError(subnet, "AmountTooLarge");
    });
  });
});
