const { expect } = require("chai");
const { ethers } = require("hardhat");
const { loadFixture, mine } = require("@nomicfoundation/hardhat-network-helpers");

// DKG bulletin board of Committee: phases, sender checks, confirmation by quorum, resharing.
describe("Committee DKG", () => {
  const u16 = (n) => ethers.toBeHex(n, 2).slice(2);
  const hex = (s) => s.slice(2);

  async function fixture() {
    const signers = await ethers.getSigners();
    const [admin, stranger] = signers;
    const members = signers.slice(10, 14);
    const committee = await (await ethers.getContractFactory("Committee")).deploy(admin.address);
    await committee.setDkgPhases(20, 20, 20);
    await committee.setEpoch(1, members.map((m) => m.address), 3);
    return { committee, admin, stranger, members, signers };
  }

  async function msg(committee, epoch, type, a, b = null, extra = 0) {
    const session = await committee.dkgSessionId(epoch);
    let body = "0x01" + ethers.toBeHex(type, 1).slice(2) + hex(session) + u16(a);
    if (b !== null) body += u16(b);
    return body + "ab".repeat(extra);
  }
  const deal = (c, e, dealer) => msg(c, e, 1, dealer, 3, 40);
  const complaint = (c, e, accuser, accused) => msg(c, e, 2, accuser, accused);
  const reveal = (c, e, dealer, accuser) => msg(c, e, 3, dealer, accuser, 32);

  async function toPhase(committee, epoch, phase) {
    const r = await committee.dkgRound(epoch);
    const target = { complaint: r.dealEnd, reveal: r.complaintEnd, confirm: r.revealEnd }[phase];
    const now = BigInt(await ethers.provider.getBlockNumber());
    if (target + 1n > now + 1n) await mine(Number(target - now));
  }

  const point = (b) => "0x02" + b.repeat(32);
  const vks = (n, b) => "0x" + Array.from({ length: n }, () => hex(point(b))).join("");

  it("opens a fresh run on setEpoch with phase ends in blocks", async () => {
    const signers = await ethers.getSigners();
    const c = await (await ethers.getContractFactory("Committee")).deploy(signers[0].address);
    await expect(c.setDkgPhases(4, 2, 2)).to.emit(c, "DkgPhasesSet").withArgs(4, 2, 2);
    const tx = await c.setEpoch(1, signers.slice(10, 14).map((m) => m.address), 3);
    const b = BigInt((await tx.wait()).blockNumber);
    await expect(tx).to.emit(c, "DkgStarted").withArgs(1, 0, b + 4n, b + 6n, b + 8n);
    expect(await c.memberIndex(1, signers[12].address)).to.equal(3n);
    expect(await c.quorumOf(1)).to.equal(3n);
    expect((await c.dkgPhases()).deal).to.equal(4n);
    await expect(c.setDkgPhases(0, 1, 1)).to.be.revertedWithCustomError(c, "InvalidPhases");
    await expect(c.connect(signers[1]).setDkgPhases(1, 1, 1)).to.be.revertedWithCustomError(c, "OwnableUnauthorizedAccount");
  });

  it("accepts a deal only from the member at its dealer index, once, in the deal phase", async () => {
    const { committee, members, stranger } = await loadFixture(fixture);
    const m = await deal(committee, 1, 2);
    await expect(committee.connect(members[1]).dkgDeal(1, m)).to.emit(committee, "DkgDeal").withArgs(1, 2, m);
    await expect(committee.connect(members[1]).dkgDeal(1, m)).to.be.revertedWithCustomError(committee, "AlreadyPosted");
    await expect(committee.connect(members[0]).dkgDeal(1, await deal(committee, 1, 3)))
      .to.be.revertedWithCustomError(committee, "NotDealer").withArgs(members[0].address, 3);
    await expect(committee.connect(stranger).dkgDeal(1, await deal(committee, 1, 1))).to.be.revertedWithCustomError(committee, "NotDealer");
    await expect(committee.connect(members[0]).dkgDeal(1, await deal(committee, 2, 1))).to.be.revertedWithCustomError(committee, "BadMessage");
    await expect(committee.connect(members[0]).dkgDeal(1, await complaint(committee, 1, 1, 2))).to.be.revertedWithCustomError(committee, "BadMessage");
    await expect(committee.connect(members[0]).dkgDeal(1, await msg(committee, 1, 1, 0, 3, 40))).to.be.revertedWithCustomError(committee, "BadMessage");
    await expect(committee.connect(members[0]).dkgDeal(2, await deal(committee, 2, 1))).to.be.revertedWithCustomError(committee, "DkgNotOpen");
    await toPhase(committee, 1, "complaint");
    await expect(committee.connect(members[0]).dkgDeal(1, await deal(committee, 1, 1)))
      .to.be.revertedWithCustomError(committee, "WrongPhase").withArgs(1, 1);
  });

  it("accepts complaints from the accuser in the complaint phase and reveals from the accused dealer after it", async () => {
    const { committee, members, stranger } = await loadFixture(fixture);
    const c = await complaint(committee, 1, 2, 4);
    await expect(committee.connect(members[1]).dkgComplain(1, c)).to.be.revertedWithCustomError(committee, "WrongPhase").withArgs(1, 2);
    await toPhase(committee, 1, "complaint");
    await expect(committee.connect(members[1]).dkgComplain(1, c)).to.emit(committee, "DkgComplaint").withArgs(1, 2, 4, c);
    await expect(committee.connect(members[1]).dkgComplain(1, c)).to.be.revertedWithCustomError(committee, "AlreadyPosted");
    await expect(committee.connect(stranger).dkgComplain(1, await complaint(committee, 1, 3, 4)))
      .to.be.revertedWithCustomError(committee, "NotRecipient").withArgs(stranger.address, 3);
    await expect(committee.connect(members[2]).dkgComplain(1, c + "00")).to.be.revertedWithCustomError(committee, "BadMessage");
    const r = await reveal(committee, 1, 4, 2);
    await expect(committee.connect(members[3]).dkgReveal(1, r)).to.be.revertedWithCustomError(committee, "WrongPhase").withArgs(1, 3);
    await toPhase(committee, 1, "reveal");
    await expect(committee.connect(members[2]).dkgComplain(1, await complaint(committee, 1, 3, 4))).to.be.revertedWithCustomError(committee, "WrongPhase");
    await expect(committee.connect(members[2]).dkgReveal(1, r)).to.be.revertedWithCustomError(committee, "NotDealer");
    await expect(committee.connect(members[3]).dkgReveal(1, r.slice(0, -2))).to.be.revertedWithCustomError(committee, "BadMessage");
    await expect(committee.connect(members[3]).dkgReveal(1, r)).to.emit(committee, "DkgReveal").withArgs(1, 4, 2, r);
    await expect(committee.connect(members[3]).dkgReveal(1, r)).to.be.revertedWithCustomError(committee, "AlreadyPosted");
    await toPhase(committee, 1, "confirm");
    await expect(committee.connect(members[3]).dkgReveal(1, await reveal(committee, 1, 4, 3))).to.be.revertedWithCustomError(committee, "WrongPhase");
  });

  it("sets the group key when quorum members confirm the same result, and only then", async () => {
    const { committee, members, stranger } = await loadFixture(fixture);
    const pk = point("11");
    const keys = vks(4, "22");
    await expect(committee.connect(members[0]).dkgConfirm(1, pk, keys)).to.be.revertedWithCustomError(committee, "WrongPhase").withArgs(1, 4);
    await toPhase(committee, 1, "confirm");
    await expect(committee.connect(stranger).dkgConfirm(1, pk, keys)).to.be.revertedWithCustomError(committee, "NotMember");
    await expect(committee.connect(members[0]).dkgConfirm(1, "0x04" + "11".repeat(32), keys)).to.be.revertedWithCustomError(committee, "InvalidGroupKey");
    await expect(committee.connect(members[0]).dkgConfirm(1, pk, vks(3, "22"))).to.be.revertedWithCustomError(committee, "InvalidGroupKey");
    const result = ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode(["bytes", "bytes"], [pk, keys]));
    await expect(committee.connect(members[0]).dkgConfirm(1, pk, keys)).to.emit(committee, "DkgConfirmed").withArgs(1, members[0].address, result);
    await expect(committee.connect(members[0]).dkgConfirm(1, pk, keys)).to.be.revertedWithCustomError(committee, "AlreadyConfirmed");
    await committee.connect(members[1]).dkgConfirm(1, point("33"), keys); // a dissenting result does not count
    await committee.connect(members[2]).dkgConfirm(1, pk, keys);
    expect(await committee.activeEpoch()).to.equal(0n);
    expect(await committee.groupKey()).to.equal("0x");
    await expect(committee.connect(members[3]).dkgConfirm(1, pk, keys)).to.emit(committee, "GroupKeySet").withArgs(1, pk, keys, result);
    expect(await committee.activeEpoch()).to.equal(1n);
    expect(await committee.groupKey()).to.equal(pk);
    const [g, v, t] = await committee.keyOf(1);
    expect([g, v, t]).to.deep.equal([pk, keys, 3n]);
    expect((await committee.dkgRound(1)).completed).to.equal(true);
    await expect(committee.connect(members[1]).dkgDeal(1, await deal(committee, 1, 2))).to.be.revertedWithCustomError(committee, "DkgNotOpen");
  });

  it("reshares: old members deal at their old indices and the group key must stay the same", async () => {
    const { committee, members, signers } = await loadFixture(fixture);
    const pk = point("11");
    await toPhase(committee, 1, "confirm");
    for (const m of members.slice(0, 3)) await committee.connect(m).dkgConfirm(1, pk, vks(4, "22"));
    const next = [members[1], members[2], members[3], signers[14], signers[15]];
    await expect(committee.setEpoch(2, next.map((m) => m.address), 4)).to.emit(committee, "DkgStarted");
    expect((await committee.dkgRound(2)).previous).to.equal(1n);
    // members[0] left the committee but still deals its old share at old index 1; the newcomer cannot deal
    await expect(committee.connect(members[0]).dkgDeal(2, await deal(committee, 2, 1))).to.emit(committee, "DkgDeal");
    await expect(committee.connect(signers[14]).dkgDeal(2, await deal(committee, 2, 4))).to.be.revertedWithCustomError(committee, "NotDealer");
    await toPhase(committee, 2, "confirm");
    await expect(committee.connect(next[0]).dkgConfirm(2, point("44"), vks(5, "55"))).to.be.revertedWithCustomError(committee, "KeyChanged");
    for (const m of next.slice(0, 4)) await committee.connect(m).dkgConfirm(2, pk, vks(5, "55"));
    expect(await committee.activeEpoch()).to.equal(2n);
    expect(await committee.groupKey()).to.equal(pk);
    await expect(committee.connect(members[0]).dkgDeal(1, await deal(committee, 1, 1))).to.be.revertedWithCustomError(committee, "DkgNotOpen");
  });
});
