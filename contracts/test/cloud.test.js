const { expect } = require("chai");
const { ethers } = require("hardhat");
const { loadFixture, mine, time, setBalance } = require("@nomicfoundation/hardhat-network-helpers");
const h = require("./helpers");

const PRICE = 500n * h.LEVELS[0].priceCpu + 256n * h.LEVELS[0].priceMemory + 1n * h.LEVELS[0].priceDisk;
const STATUS = { PENDING: 0n, RUNNING: 1n, STOPPED: 2n };
const NO_RUN = 2n ** 48n - 1n;
const ROOT_A = ethers.id("logs");
const ROOT_B = ethers.id("metrics");

describe("Cloud", () => {
  async function fixture() {
    return h.deployWithWorker(ethers);
  }

  async function create(ctx, overrides = {}, value = h.ETH, from = ctx.user) {
    const id = await ctx.cloud.nextWorkloadId();
    await ctx.cloud.connect(from).create(h.createParams(0, overrides), h.SPEC, { value });
    return id;
  }

  async function signedVerdict(ctx, id, version, instance, overrides = {}) {
    const v = h.verdictFor(id, version, instance, await time.latest(), overrides);
    return { v, sigs: await h.signVerdict(ctx.committee, ctx.members.slice(0, 3), v) };
  }

  /** Starts `id` at `version` with a fresh instance key; returns the instance wallet and the start block. */
  async function start(ctx, id, version = 1) {
    const instance = ethers.Wallet.createRandom();
    const { v, sigs } = await signedVerdict(ctx, id, version, instance.address);
    const receipt = await (await ctx.cloud.connect(ctx.workerAccount).start(id, version, instance.address, v, sigs)).wait();
    return { instance, block: BigInt(receipt.blockNumber) };
  }

  function proof(id, version, fromBlock, toBlock) {
    return { workloadId: id, version, fromBlock, toBlock, logsRoot: ROOT_A, metricsRoot: ROOT_B };
  }

  async function nextBlock() {
    return BigInt(await ethers.provider.getBlockNumber()) + 1n;
  }

  async function settle(ctx, instance, p) {
    return ctx.cloud.settle(p, await h.signSettle(ctx.cloud, instance, p));
  }

  async function running() {
    const ctx = await fixture();
    const id = await create(ctx);
    const { instance, block } = await start(ctx, id);
    return { ...ctx, id, instance, startBlock: block };
  }

  async function runningTask() {
    const ctx = await fixture();
    const id = await create(ctx, { kind: h.KIND.TASK, runPrice: 1000n * h.GWEI, everyBlocks: 5 });
    const { instance, block } = await start(ctx, id);
    return { ...ctx, id, instance, startBlock: block };
  }

  function runResult(id, runId, overrides = {}) {
    return { workloadId: id, version: 1, runId, exitCode: 0, resultHash: ethers.id("result"), logsHash: ethers.id("run-logs"), ...overrides };
  }

  async function completeRun(ctx, instance, r) {
    return ctx.cloud.connect(ctx.workerAccount).completeRun(r, await h.signRun(ctx.cloud, instance, r));
  }

  describe("admin", () => {
    it("sets the settle interval and fee with events, admin only", async () => {
      const { cloud, other } = await loadFixture(fixture);
      await expect(cloud.setSettleInterval(42)).to.emit(cloud, "SettleIntervalSet").withArgs(42);
      expect(await cloud.settleInterval()).to.equal(42n);
      await expect(cloud.setFeeBps(250)).to.emit(cloud, "FeeBpsSet").withArgs(250);
      expect(await cloud.feeBps()).to.equal(250n);
      await expect(cloud.setSettleInterval(0)).to.be.revertedWithCustomError(cloud, "InvalidInterval");
      await expect(cloud.setFeeBps(10_001)).to.be.revertedWithCustomError(cloud, "InvalidBps").withArgs(10_001);
      const calls = [() => cloud.connect(other).setSettleInterval(1), () => cloud.connect(other).setFeeBps(1), () => cloud.connect(other).withdrawTreasury(other.address, 0)];
      for (const call of calls) {
        await expect(call()).to.be.revertedWithCustomError(cloud, "OwnableUnauthorizedAccount").withArgs(other.address);
      }
      await expect(cloud.renounceOwnership()).to.be.revertedWithCustomError(cloud, "RenounceDisabled");
    });

    it("rejects zero constructor addresses", async () => {
      const { admin, subnet } = await loadFixture(fixture);
      const factory = await ethers.getContractFactory("Cloud");
      await expect(factory.deploy(ethers.ZeroAddress, await subnet.getAddress(), admin.address)).to.be.revertedWithCustomError(factory, "InvalidAddress");
      await expect(factory.deploy(await subnet.getAddress(), ethers.ZeroAddress, admin.address)).to.be.revertedWithCustomError(factory, "InvalidAddress");
    });

    it("computes the EIP-712 digests ethers computes", async () => {
      const { cloud } = await loadFixture(fixture);
      const domain = await h.domainOf(cloud, "WeTEE Cloud");
      const p = proof(3, 2, 10, 20);
      expect(await cloud.settleProofDigest(p)).to.equal(ethers.TypedDataEncoder.hash(domain, h.SETTLE_TYPES, p));
      const r = runResult(3, 4, { exitCode: -1 });
      expect(await cloud.runResultDigest(r)).to.equal(ethers.TypedDataEncoder.hash(domain, h.RUN_TYPES, r));
      expect(await cloud.domainSeparator()).to.equal(ethers.TypedDataEncoder.hashDomain(domain));
    });
  });

  describe("create", () => {
    it("stores the workload, reserves capacity and emits the spec", async () => {
      const ctx = await loadFixture(fixture);
      const { cloud, subnet, user } = ctx;
      const p = h.createParams(0, { allowDebug: true });
      await expect(cloud.connect(user).create(p, h.SPEC, { value: h.ETH }))
        .to.emit(cloud, "WorkloadCreated")
        .withArgs(0, user.address, 0, 0, p.teeTypes, true, 0, 0, 500, 256, 1, 0, PRICE, h.ETH, ethers.keccak256(h.SPEC), ethers.hexlify(h.SPEC));
      expect(await cloud.nextWorkloadId()).to.equal(1n);
      const w = await cloud.getWorkload(0);
      expect(w.owner).to.equal(user.address);
      expect([w.workerId, w.kind, w.status, w.version, w.pricePerBlock, w.escrow, w.claimable, w.feeBps]).to.deep.equal([0n, 0n, STATUS.PENDING, 1n, PRICE, h.ETH, 0n, 500n]);
      expect([w.cpu, w.mem, w.disk, w.gpu, w.levelId, w.regionId, w.teeTypes, w.allowDebug]).to.deep.equal([500n, 256n, 1n, 0n, 0n, 0n, 13n, true]);
      expect(w.specHash).to.equal(ethers.keccak256(h.SPEC));
      expect(w.instance).to.equal(ethers.ZeroAddress);
      expect(await cloud.priceOf(0)).to.deep.equal([PRICE, 0n]);
      expect(await cloud.escrowOf(0)).to.equal(h.ETH);
      const worker = await subnet.getWorker(0);
      expect([worker.used.cpu, worker.workloads]).to.deep.equal([500n, 1n]);
    });

    it("creates tasks with a run price and schedule", async () => {
      const ctx = await loadFixture(fixture);
      const { cloud, user } = ctx;
      const p = h.createParams(0, { kind: h.KIND.TASK, runPrice: 77n, everyBlocks: 9 });
      const tx = cloud.connect(user).create(p, h.SPEC, { value: h.ETH });
      await expect(tx).to.emit(cloud, "TaskScheduled").withArgs(0, 77n, 9);
      const block = (await (await tx).wait()).blockNumber;
      await expect(tx).to.emit(cloud, "RunScheduled").withArgs(0, 0, block);
      const w = await cloud.getWorkload(0);
      expect([w.kind, w.pricePerBlock, w.runPrice, w.everyBlocks, w.nextRunAt, w.nextRunId]).to.deep.equal([1n, 0n, 77n, 9n, 0n, 0n]);
      expect(await cloud.priceOf(0)).to.deep.equal([0n, 77n]);
    });

    it("validates kind, TEE types, spec, value and run price", async () => {
      const { cloud, user } = await loadFixture(fixture);
      const c = cloud.connect(user);
      await expect(c.create(h.createParams(0, { kind: 2 }), h.SPEC, { value: 1 })).to.be.revertedWithCustomError(cloud, "InvalidKind").withArgs(2);
      await expect(c.create(h.createParams(0, { teeTypes: 0 }), h.SPEC, { value: 1 })).to.be.revertedWithCustomError(cloud, "InvalidTeeTypes").withArgs(0);
      await expect(c.create(h.createParams(0, { teeTypes: 0x30 }), h.SPEC, { value: 1 })).to.be.revertedWithCustomError(cloud, "InvalidTeeTypes").withArgs(0x30);
      await expect(c.create(h.createParams(0), "0x", { value: 1 })).to.be.revertedWithCustomError(cloud, "EmptySpec");
      await expect(c.create(h.createParams(0), h.SPEC)).to.be.revertedWithCustomError(cloud, "ZeroValue");
      await expect(c.create(h.createParams(0, { kind: 1 }), h.SPEC, { value: 1 })).to.be.revertedWithCustomError(cloud, "InvalidRunPrice");
    });

    it("passes on Subnet's placement checks", async () => {
      const { cloud, subnet, user } = await loadFixture(fixture);
      await expect(cloud.connect(user).create(h.createParams(0, { regionId: 3 }), h.SPEC, { value: 1 }))
        .to.be.revertedWithCustomError(subnet, "WrongRegion")
        .withArgs(0, 3);
      await expect(cloud.connect(user).create(h.createParams(5), h.SPEC, { value: 1 })).to.be.revertedWithCustomError(subnet, "UnknownWorker").withArgs(5);
    });

    it("refuses escrow above uint96 and prices above uint80", async () => {
      const ctx = await loadFixture(fixture);
      const { cloud, subnet, user, signers } = ctx;
      await setBalance(user.address, 2n ** 100n);
      await expect(cloud.connect(user).create(h.createParams(0), h.SPEC, { value: 2n ** 96n })).to.be.revertedWithCustomError(cloud, "AmountTooLarge");
      const max64 = 2n ** 64n - 1n;
      await subnet.setLevel(5, { priceCpu: max64, priceMemory: 0, priceDisk: 0, priceGpu: 0, minStake: 1, maxCpu: 2_000_000, maxMemory: 1, maxDisk: 1, maxGpu: 0 });
      await subnet.connect(signers[4]).registerWorker({ ...h.WORKER_SPEC, levelId: 5, cpu: 2_000_000 });
      await subnet.connect(signers[4]).stakeWorker(1, { value: 1 });
      await expect(cloud.connect(user).create(h.createParams(1, { levelId: 5, cpu: 1_000_000, mem: 0, disk: 0 }), h.SPEC, { value: 1 }))
        .to.be.revertedWithCustomError(cloud, "PriceTooLarge")
        .withArgs(1_000_000n * max64);
    });
  });

  describe("owner operations", () => {
    it("update bumps the version, drops the instance and keeps the escrow", async () => {
      const ctx = await loadFixture(running);
      const { cloud, user, id, instance, startBlock } = ctx;
      await mine(4);
      const to = await nextBlock();
      await settle(ctx, instance, proof(id, 1, startBlock, to));
      const spec2 = ethers.toUtf8Bytes('{"name":"hello","v":2}');
      await expect(cloud.connect(user).update(id, spec2)).to.emit(cloud, "WorkloadUpdated").withArgs(id, 2, ethers.keccak256(spec2), ethers.hexlify(spec2));
      const w = await cloud.getWorkload(id);
      expect([w.version, w.status, w.instance, w.specHash]).to.deep.equal([2n, STATUS.PENDING, ethers.ZeroAddress, ethers.keccak256(spec2)]);
      const paid = PRICE * (to - startBlock);
      expect(w.escrow).to.equal(h.ETH - paid);
      expect(w.claimable).to.equal(paid);
      // The old instance can no longer settle.
      await expect(settle(ctx, instance, proof(id, 1, to, await nextBlock()))).to.be.revertedWithCustomError(cloud, "NotRunning").withArgs(id);
      await start(ctx, id, 2);
      expect((await cloud.getWorkload(id)).status).to.equal(STATUS.RUNNING);
    });

    it("update validates owner, spec and state", async () => {
      const ctx = await loadFixture(fixture);
      const { cloud, user, other } = ctx;
      await expect(cloud.connect(user).update(0, h.SPEC)).to.be.revertedWithCustomError(cloud, "UnknownWorkload").withArgs(0);
      const id = await create(ctx);
      await expect(cloud.connect(other).update(id, h.SPEC)).to.be.revertedWithCustomError(cloud, "NotWorkloadOwner").withArgs(id);
      await expect(cloud.connect(user).update(id, "0x")).to.be.revertedWithCustomError(cloud, "EmptySpec");
      await cloud.connect(user).stop(id);
      await expect(cloud.connect(user).update(id, h.SPEC)).to.be.revertedWithCustomError(cloud, "WorkloadIsStopped").withArgs(id);
    });

    it("update stops at the last uint16 version", async () => {
      const ctx = await loadFixture(fixture);
      const { cloud, user } = ctx;
      const id = await create(ctx);
      // Run slot of _workloads[id]: storage slot 5 holds the mapping; Workload.run is its second slot.
      const base = BigInt(ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode(["uint64", "uint256"], [id, 5])));
      const slot = ethers.toBeHex(base + 1n, 32);
      const word = BigInt(await ethers.provider.getStorage(await cloud.getAddress(), slot));
      expect((word >> 232n) & 0xffffn).to.equal(1n); // version 1: the layout assumption holds
      const patched = word | (0xffffn << 232n);
      await ethers.provider.send("hardhat_setStorageAt", [await cloud.getAddress(), slot, ethers.toBeHex(patched, 32)]);
      expect((await cloud.getWorkload(id)).version).to.equal(65535n);
      await expect(cloud.connect(user).update(id, h.SPEC)).to.be.revertedWithCustomError(cloud, "TooManyVersions");
    });

    it("settings renames, owner only", async () => {
      const ctx = await loadFixture(fixture);
      const { cloud, user, other } = ctx;
      const id = await create(ctx);
      await expect(cloud.connect(user).settings(id, "hello-web")).to.emit(cloud, "WorkloadSettings").withArgs(id, "hello-web");
      expect((await cloud.getWorkload(id)).name).to.equal("hello-web");
      await expect(cloud.connect(other).settings(id, "x")).to.be.revertedWithCustomError(cloud, "NotWorkloadOwner").withArgs(id);
    });

    it("recharge adds escrow from anyone", async () => {
      const ctx = await loadFixture(running);
      const { cloud, other, id, instance, startBlock } = ctx;
      await mine(3);
      const to = await nextBlock();
      await settle(ctx, instance, proof(id, 1, startBlock, to));
      const paid = PRICE * (to - startBlock);
      await expect(cloud.connect(other).recharge(id, { value: h.ETH }))
        .to.emit(cloud, "Recharged")
        .withArgs(id, other.address, h.ETH, 2n * h.ETH - paid);
      const w = await cloud.getWorkload(id);
      expect([w.escrow, w.claimable]).to.deep.equal([2n * h.ETH - paid, paid]);
      // Settlement continues from the rebased escrow.
      await mine(2);
      const to2 = await nextBlock();
      await settle(ctx, instance, proof(id, 1, to, to2));
      expect(await cloud.claimable(id)).to.equal(PRICE * (to2 - startBlock));
      await expect(cloud.recharge(id)).to.be.revertedWithCustomError(cloud, "ZeroValue");
      await expect(cloud.recharge(9, { value: 1 })).to.be.revertedWithCustomError(cloud, "UnknownWorkload").withArgs(9);
      await setBalance(other.address, 2n ** 100n);
      await expect(cloud.connect(other).recharge(id, { value: 2n ** 96n })).to.be.revertedWithCustomError(cloud, "AmountTooLarge");
    });

    it("stop refunds the unspent escrow to the owner and releases capacity", async () => {
      const ctx = await loadFixture(running);
      const { cloud, subnet, user, id, instance, startBlock } = ctx;
      await mine(5);
      const to = await nextBlock();
      await settle(ctx, instance, proof(id, 1, startBlock, to));
      const paid = PRICE * (to - startBlock);
      await mine(3); // unsettled blocks are not paid by stop
      const tx = cloud.connect(user).stop(id);
      await expect(tx).to.emit(cloud, "WorkloadStopped").withArgs(id, h.ETH - paid, true);
      await expect(tx).to.changeEtherBalances([user, cloud], [h.ETH - paid, -(h.ETH - paid)]);
      const w = await cloud.getWorkload(id);
      expect([w.status, w.escrow, w.claimable, w.instance, w.version]).to.deep.equal([STATUS.STOPPED, 0n, paid, ethers.ZeroAddress, 1n]);
      const worker = await subnet.getWorker(0);
      expect([worker.used.cpu, worker.workloads]).to.deep.equal([0n, 0n]);
      await expect(cloud.connect(user).stop(id)).to.be.revertedWithCustomError(cloud, "WorkloadIsStopped").withArgs(id);
      await expect(settle(ctx, instance, proof(id, 1, to, await nextBlock()))).to.be.revertedWithCustomError(cloud, "NotRunning").withArgs(id);
    });

    it("stop is owner only and fails if the owner rejects the refund", async () => {
      const ctx = await loadFixture(fixture);
      const { cloud, other } = ctx;
      const id = await create(ctx);
      await expect(cloud.connect(other).stop(id)).to.be.revertedWithCustomError(cloud, "NotWorkloadOwner").withArgs(id);
      const acct = await (await ethers.getContractFactory("ForwardingAccount")).deploy();
      const cloudAddr = await cloud.getAddress();
      await acct.forward(cloudAddr, cloud.interface.encodeFunctionData("create", [h.createParams(0), h.SPEC]), { value: 100n });
      const stopData = cloud.interface.encodeFunctionData("stop", [1]);
      await expect(acct.forward(cloudAddr, stopData)).to.be.revertedWithCustomError(cloud, "TransferFailed");
      await acct.setAcceptEther(true);
      await expect(acct.forward(cloudAddr, stopData)).to.changeEtherBalance(acct, 100n);
    });
  });

  describe("start and reattest", () => {
    it("start records the instance and emits the verdict", async () => {
      const ctx = await loadFixture(fixture);
      const { cloud, workerAccount } = ctx;
      const id = await create(ctx);
      const instance = ethers.Wallet.createRandom();
      const { v, sigs } = await signedVerdict(ctx, id, 1, instance.address, { teeType: h.TEE.TDX, tcbStatus: h.TCB.SWHardeningNeeded });
      const tx = cloud.connect(workerAccount).start(id, 1, instance.address, v, sigs);
      await expect(tx)
        .to.emit(cloud, "Started")
        .withArgs(id, 1, instance.address, h.TEE.TDX, v.measurementHash, h.TCB.SWHardeningNeeded, v.expiresAt);
      const block = BigInt((await (await tx).wait()).blockNumber);
      const w = await cloud.getWorkload(id);
      expect([w.status, w.instance, w.lastSettledBlock, w.verdictExpiresAt]).to.deep.equal([STATUS.RUNNING, instance.address, block, BigInt(v.expiresAt)]);
    });

    it("a restart replaces the instance", async () => {
      const ctx = await loadFixture(running);
      const { cloud, id, instance } = ctx;
      const { instance: second, block } = await start(ctx, id);
      const w = await cloud.getWorkload(id);
      expect([w.instance, w.lastSettledBlock]).to.deep.equal([second.address, block]);
      await expect(settle(ctx, instance, proof(id, 1, block, block + 1n)))
        .to.be.revertedWithCustomError(cloud, "InvalidInstanceSignature")
        .withArgs(instance.address);
    });

    it("start is for the assigned worker with a matching, unexpired verdict", async () => {
      const ctx = await loadFixture(fixture);
      const { cloud, workerAccount, other } = ctx;
      const id = await create(ctx);
      const inst = ethers.Wallet.createRandom().address;
      const c = cloud.connect(workerAccount);
      const { v, sigs } = await signedVerdict(ctx, id, 1, inst);
      await expect(cloud.connect(other).start(id, 1, inst, v, sigs)).to.be.revertedWithCustomError(cloud, "NotAssignedWorker").withArgs(id);
      await expect(c.start(id, 2, inst, v, sigs)).to.be.revertedWithCustomError(cloud, "WrongVersion").withArgs(1, 2);
      await expect(c.start(id, 1, ethers.ZeroAddress, v, sigs)).to.be.revertedWithCustomError(cloud, "InvalidInstance");
      await expect(c.start(id, 1, other.address, v, sigs)).to.be.revertedWithCustomError(cloud, "VerdictMismatch");
      for (const o of [{ workloadId: id + 1n }, { version: 2 }]) {
        const s = await signedVerdict(ctx, id, 1, inst, o);
        await expect(c.start(id, 1, inst, s.v, s.sigs)).to.be.revertedWithCustomError(cloud, "VerdictMismatch");
      }
      let s = await signedVerdict(ctx, id, 1, inst, { teeType: h.TEE.SGX });
      await expect(c.start(id, 1, inst, s.v, s.sigs)).to.be.revertedWithCustomError(cloud, "TeeTypeNotAllowed").withArgs(h.TEE.SGX);
      s = await signedVerdict(ctx, id, 1, inst, { teeType: 4 });
      await expect(c.start(id, 1, inst, s.v, s.sigs)).to.be.revertedWithCustomError(cloud, "TeeTypeNotAllowed").withArgs(4);
      s = await signedVerdict(ctx, id, 1, inst, { tcbStatus: h.TCB.Revoked });
      await expect(c.start(id, 1, inst, s.v, s.sigs)).to.be.revertedWithCustomError(cloud, "TcbRevoked");
      s = await signedVerdict(ctx, id, 1, inst, { tcbStatus: 7 });
      await expect(c.start(id, 1, inst, s.v, s.sigs)).to.be.revertedWithCustomError(cloud, "InvalidTcbStatus").withArgs(7);
      const now = await time.latest();
      s = await signedVerdict(ctx, id, 1, inst, { issuedAt: now - 100, expiresAt: now });
      await expect(c.start(id, 1, inst, s.v, s.sigs)).to.be.revertedWithCustomError(cloud, "VerdictExpired");
      await expect(c.start(id, 1, inst, v, sigs.slice(0, 2)))
        .to.be.revertedWithCustomError(ctx.committee, "NotEnoughSignatures")
        .withArgs(2, 3);
      await expect(c.start(7, 1, inst, v, sigs)).to.be.revertedWithCustomError(cloud, "UnknownWorkload").withArgs(7);
      await cloud.connect(ctx.user).stop(id);
      await expect(c.start(id, 1, inst, v, sigs)).to.be.revertedWithCustomError(cloud, "WorkloadIsStopped").withArgs(id);
    });

    it("reattest extends the verdict of the current instance before it expires", async () => {
      const ctx = await loadFixture(running);
      const { cloud, other, id, instance } = ctx;
      const expiry = (await cloud.getWorkload(id)).verdictExpiresAt;
      const later = Number(expiry) + 3600;
      const { v, sigs } = await signedVerdict(ctx, id, 1, instance.address, { expiresAt: later });
      await expect(cloud.connect(other).reattest(id, v, sigs))
        .to.emit(cloud, "Reattested")
        .withArgs(id, 1, instance.address, v.measurementHash, later);
      expect((await cloud.getWorkload(id)).verdictExpiresAt).to.equal(BigInt(later));
      await expect(cloud.reattest(id, v, sigs)).to.be.revertedWithCustomError(cloud, "StaleVerdict");
      const wrong = await signedVerdict(ctx, id, 1, other.address, { expiresAt: later + 10 });
      await expect(cloud.reattest(id, wrong.v, wrong.sigs)).to.be.revertedWithCustomError(cloud, "VerdictMismatch");
      const tee = await signedVerdict(ctx, id, 1, instance.address, { expiresAt: later + 10, teeType: h.TEE.SGX });
      await expect(cloud.reattest(id, tee.v, tee.sigs)).to.be.revertedWithCustomError(cloud, "TeeTypeNotAllowed").withArgs(h.TEE.SGX);
      await time.increaseTo(later);
      const late = await signedVerdict(ctx, id, 1, instance.address, { expiresAt: later + 3600 });
      await expect(cloud.reattest(id, late.v, late.sigs)).to.be.revertedWithCustomError(cloud, "VerdictExpired");
    });

    it("reattest needs a running instance", async () => {
      const ctx = await loadFixture(fixture);
      const id = await create(ctx);
      const { v, sigs } = await signedVerdict(ctx, id, 1, ethers.Wallet.createRandom().address);
      await expect(ctx.cloud.reattest(id, v, sigs)).to.be.revertedWithCustomError(ctx.cloud, "NotRunning").withArgs(id);
    });

    it("verdict expiries beyond 2106 are clamped to uint32", async () => {
      const ctx = await loadFixture(fixture);
      const id = await create(ctx);
      const inst = ethers.Wallet.createRandom().address;
      const { v, sigs } = await signedVerdict(ctx, id, 1, inst, { expiresAt: 2n ** 40n });
      await ctx.cloud.connect(ctx.workerAccount).start(id, 1, inst, v, sigs);
      expect((await ctx.cloud.getWorkload(id)).verdictExpiresAt).to.equal(2n ** 32n - 1n);
    });
  });

  describe("settle", () => {
    it("pays price x blocks from the last settlement, anyone submits", async () => {
      const ctx = await loadFixture(running);
      const { cloud, other, id, instance, startBlock } = ctx;
      await mine(9);
      const to = await nextBlock();
      const p = proof(id, 1, startBlock, to);
      await expect(cloud.connect(other).settle(p, await h.signSettle(cloud, instance, p)))
        .to.emit(cloud, "Settled")
        .withArgs(id, startBlock, to, ROOT_A, ROOT_B);
      const w = await cloud.getWorkload(id);
      expect([w.lastSettledBlock, w.claimable, w.escrow]).to.deep.equal([to, PRICE * 10n, h.ETH - PRICE * 10n]);
      // The same range cannot be paid twice.
      await expect(settle(ctx, instance, p)).to.be.revertedWithCustomError(cloud, "WrongFromBlock").withArgs(to, startBlock);
    });

    it("is capped by the escrow", async () => {
      const ctx = await loadFixture(fixture);
      const id = await create(ctx, {}, PRICE * 3n + 7n);
      const { instance, block } = await start(ctx, id);
      await mine(9);
      const to = await nextBlock();
      await settle(ctx, instance, proof(id, 1, block, to));
      const w = await ctx.cloud.getWorkload(id);
      expect([w.claimable, w.escrow]).to.deep.equal([PRICE * 3n + 7n, 0n]);
      await mine(2);
      const to2 = await nextBlock();
      await settle(ctx, instance, proof(id, 1, to, to2));
      expect(await ctx.cloud.claimable(id)).to.equal(PRICE * 3n + 7n);
    });

    it("checks state, version, range, expiry and the instance signature", async () => {
      const ctx = await loadFixture(running);
      const { cloud, id, instance, startBlock } = ctx;
      await mine(3);
      const to = await nextBlock();
      await expect(settle(ctx, instance, proof(id, 2, startBlock, to))).to.be.revertedWithCustomError(cloud, "WrongVersion").withArgs(1, 2);
      await expect(settle(ctx, instance, proof(id, 1, startBlock - 1n, to)))
        .to.be.revertedWithCustomError(cloud, "WrongFromBlock")
        .withArgs(startBlock, startBlock - 1n);
      await expect(settle(ctx, instance, proof(id, 1, startBlock, startBlock)))
        .to.be.revertedWithCustomError(cloud, "InvalidBlockRange")
        .withArgs(startBlock, startBlock);
      const future = (await nextBlock()) + 1n;
      await expect(settle(ctx, instance, proof(id, 1, startBlock, future)))
        .to.be.revertedWithCustomError(cloud, "InvalidBlockRange")
        .withArgs(startBlock, future);
      const impostor = ethers.Wallet.createRandom();
      await expect(settle(ctx, impostor, proof(id, 1, startBlock, to)))
        .to.be.revertedWithCustomError(cloud, "InvalidInstanceSignature")
        .withArgs(impostor.address);
      await expect(cloud.settle(proof(id, 1, startBlock, to), "0x1234"))
        .to.be.revertedWithCustomError(cloud, "ECDSAInvalidSignatureLength")
        .withArgs(2);
      const pending = await create(ctx);
      await expect(settle(ctx, instance, proof(pending, 1, 0, 1))).to.be.revertedWithCustomError(cloud, "NotRunning").withArgs(pending);
      await time.increase(3600);
      await expect(settle(ctx, instance, proof(id, 1, startBlock, await nextBlock()))).to.be.revertedWithCustomError(cloud, "VerdictExpired");
    });
  });

  describe("stopExhausted", () => {
    it("stops a service that cannot pay the next interval and credits the refund", async () => {
      const ctx = await loadFixture(fixture);
      const { cloud, user, other } = ctx;
      const escrow = PRICE * 15n;
      const id = await create(ctx, {}, escrow);
      await expect(cloud.connect(other).stopExhausted(id)).to.be.revertedWithCustomError(cloud, "NotExhausted").withArgs(id);
      const { block } = await start(ctx, id);
      await mine(5); // 6 unsettled blocks at the stop: 9 blocks of escrow remain < 10-block interval
      const tx = cloud.connect(other).stopExhausted(id);
      await expect(tx).to.emit(cloud, "WorkloadStopped").withArgs(id, escrow, false);
      expect(BigInt((await (await tx).wait()).blockNumber) - block).to.equal(6n);
      expect(await cloud.refunds(user.address)).to.equal(escrow);
      expect((await cloud.getWorkload(id)).status).to.equal(STATUS.STOPPED);
      await expect(cloud.connect(user).withdrawRefund()).to.changeEtherBalances([user, cloud], [escrow, -escrow]);
      await expect(cloud.connect(user).withdrawRefund()).to.be.revertedWithCustomError(cloud, "NothingToWithdraw");
      await expect(cloud.stopExhausted(id)).to.be.revertedWithCustomError(cloud, "WorkloadIsStopped").withArgs(id);
    });

    it("stops a pending service whose escrow is below one interval", async () => {
      const ctx = await loadFixture(fixture);
      const id = await create(ctx, {}, PRICE * 9n);
      await expect(ctx.cloud.stopExhausted(id)).to.emit(ctx.cloud, "WorkloadStopped").withArgs(id, PRICE * 9n, false);
    });

    it("stops a task that cannot pay the next run", async () => {
      const ctx = await loadFixture(fixture);
      const id = await create(ctx, { kind: h.KIND.TASK, runPrice: 100n }, 150n);
      await expect(ctx.cloud.stopExhausted(id)).to.be.revertedWithCustomError(ctx.cloud, "NotExhausted").withArgs(id);
      const { instance } = await start(ctx, id);
      await completeRun(ctx, instance, runResult(id, 0));
      await expect(ctx.cloud.stopExhausted(id)).to.emit(ctx.cloud, "WorkloadStopped").withArgs(id, 50n, false);
    });
  });

  describe("task runs", () => {
    it("completeRun pays the run price and schedules the next run", async () => {
      const ctx = await loadFixture(runningTask);
      const { cloud, id, instance } = ctx;
      const r = runResult(id, 0, { exitCode: -3 });
      const tx = completeRun(ctx, instance, r);
      await expect(tx).to.emit(cloud, "RunCompleted").withArgs(id, 1, 0, -3, r.resultHash, r.logsHash, 1000n * h.GWEI);
      const block = BigInt((await (await tx).wait()).blockNumber);
      await expect(tx).to.emit(cloud, "RunScheduled").withArgs(id, 1, block + 5n);
      let w = await cloud.getWorkload(id);
      expect([w.nextRunId, w.nextRunAt, w.claimable, w.escrow]).to.deep.equal([1n, block + 5n, 1000n * h.GWEI, h.ETH - 1000n * h.GWEI]);
      await expect(completeRun(ctx, instance, runResult(id, 1))).to.be.revertedWithCustomError(cloud, "RunNotDue").withArgs(block + 5n);
      await expect(completeRun(ctx, instance, runResult(id, 2))).to.be.revertedWithCustomError(cloud, "WrongRunId").withArgs(1, 2);
      // A late run skips the missed slots.
      await mine(20);
      const tx2 = await completeRun(ctx, instance, runResult(id, 1));
      const block2 = BigInt((await tx2.wait()).blockNumber);
      w = await cloud.getWorkload(id);
      expect(w.nextRunAt).to.equal(block2 + 5n);
    });

    it("a once-task runs once until rerun, paid from the escrow up to what is left", async () => {
      const ctx = await loadFixture(fixture);
      const { cloud, user, other } = ctx;
      const id = await create(ctx, { kind: h.KIND.TASK, runPrice: 100n }, 150n);
      const { instance } = await start(ctx, id);
      await expect(cloud.connect(user).rerun(id)).to.be.revertedWithCustomError(cloud, "RunAlreadyDue").withArgs(id);
      await expect(completeRun(ctx, instance, runResult(id, 0))).to.not.emit(cloud, "RunScheduled");
      expect((await cloud.getWorkload(id)).nextRunAt).to.equal(NO_RUN);
      await expect(completeRun(ctx, instance, runResult(id, 1))).to.be.revertedWithCustomError(cloud, "RunNotDue").withArgs(NO_RUN);
      await expect(cloud.connect(other).rerun(id)).to.be.revertedWithCustomError(cloud, "NotWorkloadOwner").withArgs(id);
      const tx = cloud.connect(user).rerun(id);
      const block = BigInt((await (await tx).wait()).blockNumber);
      await expect(tx).to.emit(cloud, "RunScheduled").withArgs(id, 1, block);
      await expect(completeRun(ctx, instance, runResult(id, 1)))
        .to.emit(cloud, "RunCompleted")
        .withArgs(id, 1, 1, 0, ethers.id("result"), ethers.id("run-logs"), 50n);
      expect(await cloud.claimable(id)).to.equal(150n);
    });

    it("completeRun checks kind, state, version, expiry and signature", async () => {
      const ctx = await loadFixture(runningTask);
      const { cloud, id, instance } = ctx;
      await expect(completeRun(ctx, instance, runResult(id, 0, { version: 2 }))).to.be.revertedWithCustomError(cloud, "WrongVersion").withArgs(1, 2);
      const impostor = ethers.Wallet.createRandom();
      await expect(completeRun(ctx, impostor, runResult(id, 0)))
        .to.be.revertedWithCustomError(cloud, "InvalidInstanceSignature")
        .withArgs(impostor.address);
      const service = await create(ctx);
      await expect(completeRun(ctx, instance, runResult(service, 0))).to.be.revertedWithCustomError(cloud, "NotRunning").withArgs(service);
      const { instance: sInst } = await start(ctx, service);
      await expect(completeRun(ctx, sInst, runResult(service, 0))).to.be.revertedWithCustomError(cloud, "NotTask").withArgs(service);
      await expect(cloud.connect(ctx.user).rerun(service)).to.be.revertedWithCustomError(cloud, "NotTask").withArgs(service);
      await time.increase(3600);
      await expect(completeRun(ctx, instance, runResult(id, 0))).to.be.revertedWithCustomError(cloud, "VerdictExpired");
    });
  });

  describe("earnings", () => {
    it("the worker withdraws what its workloads earned, less the fee", async () => {
      const ctx = await loadFixture(running);
      const { cloud, admin, workerAccount, id, instance, startBlock } = ctx;
      await mine(9);
      const to = await nextBlock();
      await settle(ctx, instance, proof(id, 1, startBlock, to));
      const earned = PRICE * 10n;
      const fee = (earned * 500n) / 10_000n;
      const tx = cloud.connect(workerAccount).withdrawEarnings([id]);
      await expect(tx).to.emit(cloud, "EarningsClaimed").withArgs(id, 0, workerAccount.address, earned - fee, fee);
      await expect(tx).to.changeEtherBalances([workerAccount, cloud], [earned - fee, -(earned - fee)]);
      expect(await cloud.treasuryBalance()).to.equal(fee);
      expect(await cloud.claimable(id)).to.equal(0n);
      await expect(cloud.connect(workerAccount).withdrawEarnings([id])).to.be.revertedWithCustomError(cloud, "NothingToWithdraw");
      await expect(cloud.withdrawTreasury(admin.address, fee + 1n)).to.be.revertedWithCustomError(cloud, "AmountExceedsTreasury").withArgs(fee + 1n, fee);
      await expect(cloud.withdrawTreasury(ethers.ZeroAddress, fee)).to.be.revertedWithCustomError(cloud, "InvalidAddress");
      await expect(cloud.withdrawTreasury(admin.address, fee)).to.emit(cloud, "TreasuryWithdrawn").withArgs(admin.address, fee);
      expect(await cloud.treasuryBalance()).to.equal(0n);
    });

    it("earnings survive stop and the fee rate is fixed at creation", async () => {
      const ctx = await loadFixture(running);
      const { cloud, user, workerAccount, id, instance, startBlock } = ctx;
      await mine(4);
      const to = await nextBlock();
      await settle(ctx, instance, proof(id, 1, startBlock, to));
      await cloud.setFeeBps(0);
      await cloud.connect(user).stop(id);
      const earned = PRICE * (to - startBlock);
      const second = await create(ctx); // created at fee 0, never started: nothing to claim
      await expect(cloud.connect(workerAccount).withdrawEarnings([id, second]))
        .to.emit(cloud, "EarningsClaimed")
        .withArgs(id, 0, workerAccount.address, earned - (earned * 500n) / 10_000n, (earned * 500n) / 10_000n);
    });

    it("only the assigned worker's account withdraws, for existing workloads", async () => {
      const ctx = await loadFixture(running);
      const { cloud, other, workerAccount, id } = ctx;
      await expect(cloud.connect(other).withdrawEarnings([id])).to.be.revertedWithCustomError(cloud, "NotAssignedWorker").withArgs(id);
      await expect(cloud.connect(workerAccount).withdrawEarnings([5])).to.be.revertedWithCustomError(cloud, "UnknownWorkload").withArgs(5);
      await expect(cloud.connect(workerAccount).withdrawEarnings([])).to.be.revertedWithCustomError(cloud, "NothingToWithdraw");
    });
  });

  describe("secrets", () => {
    it("put, rotate and delete per owner and name, ciphertext only in the event", async () => {
      const { cloud, user, other } = await loadFixture(fixture);
      const ct1 = ethers.hexlify(ethers.randomBytes(80));
      await expect(cloud.connect(user).putSecret("api-key", ct1))
        .to.emit(cloud, "SecretPut")
        .withArgs(user.address, "api-key", 1, ethers.keccak256(ct1), ct1);
      expect(await cloud.getSecret(user.address, "api-key")).to.deep.equal([ethers.keccak256(ct1), 1n, true]);
      expect(await cloud.getSecret(other.address, "api-key")).to.deep.equal([ethers.ZeroHash, 0n, false]);
      await expect(cloud.connect(user).putSecret("api-key", ct1)).to.be.revertedWithCustomError(cloud, "SecretExists");
      const ct2 = ethers.hexlify(ethers.randomBytes(80));
      await expect(cloud.connect(user).rotateSecret("api-key", ct2))
        .to.emit(cloud, "SecretPut")
        .withArgs(user.address, "api-key", 2, ethers.keccak256(ct2), ct2);
      await expect(cloud.connect(user).deleteSecret("api-key")).to.emit(cloud, "SecretDeleted").withArgs(user.address, "api-key", 2);
      expect(await cloud.getSecret(user.address, "api-key")).to.deep.equal([ethers.ZeroHash, 2n, false]);
      await expect(cloud.connect(user).putSecret("api-key", ct1)).to.emit(cloud, "SecretPut").withArgs(user.address, "api-key", 3, ethers.keccak256(ct1), ct1);
      expect(await cloud.secretKey(user.address, "api-key")).to.equal(
        ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode(["address", "string"], [user.address, "api-key"])),
      );
    });

    it("validate name, ciphertext and existence", async () => {
      const { cloud, user } = await loadFixture(fixture);
      await expect(cloud.connect(user).putSecret("", "0x01")).to.be.revertedWithCustomError(cloud, "InvalidSecretName");
      await expect(cloud.connect(user).putSecret("a", "0x")).to.be.revertedWithCustomError(cloud, "EmptyCiphertext");
      await expect(cloud.connect(user).rotateSecret("a", "0x01")).to.be.revertedWithCustomError(cloud, "UnknownSecret");
      await expect(cloud.connect(user).deleteSecret("a")).to.be.revertedWithCustomError(cloud, "UnknownSecret");
    });
  });

  describe("views", () => {
    it("revert on unknown workloads", async () => {
      const { cloud } = await loadFixture(fixture);
      await expect(cloud.getWorkload(3)).to.be.revertedWithCustomError(cloud, "UnknownWorkload").withArgs(3);
      await expect(cloud.priceOf(3)).to.be.revertedWithCustomError(cloud, "UnknownWorkload").withArgs(3);
      await expect(cloud.settings(3, "x")).to.be.revertedWithCustomError(cloud, "UnknownWorkload").withArgs(3);
    });
  });
});
