const { expect } = require("chai");
const { ethers } = require("hardhat");
const { loadFixture, time } = require("@nomicfoundation/hardhat-network-helpers");
const h = require("./helpers");

describe("Committee", () => {
  async function fixture() {
    const signers = await ethers.getSigners();
    const [admin, stranger] = signers;
    const members = signers.slice(10, 14);
    const committee = await (await ethers.getContractFactory("Committee")).deploy(admin.address);
    return { committee, admin, stranger, members, signers };
  }

  async function withEpoch1() {
    const ctx = await fixture();
    await ctx.committee.setEpoch(1, ctx.members.map((m) => m.address), 3);
    return ctx;
  }

  async function verdict() {
    return h.verdictFor(7, 2, ethers.Wallet.createRandom().address, await time.latest());
  }

  describe("setEpoch", () => {
    it("sets members and quorum and emits EpochSet", async () => {
      const { committee, members } = await loadFixture(fixture);
      const addrs = members.map((m) => m.address);
      await expect(committee.setEpoch(1, addrs, 3)).to.emit(committee, "EpochSet").withArgs(1, addrs, 3);
      expect(await committee.currentEpoch()).to.equal(1n);
      expect(await committee.quorum()).to.equal(3n);
      expect(await committee.members(1)).to.deep.equal(addrs);
      const [epoch, list, quorum] = await committee.currentCommittee();
      expect([epoch, list, quorum]).to.deep.equal([1n, addrs, 3n]);
      expect(await committee.isMember(1, addrs[0])).to.equal(true);
      expect(await committee.isMember(1, ethers.ZeroAddress)).to.equal(false);
    });

    it("requires the next epoch number", async () => {
      const { committee, members } = await loadFixture(fixture);
      await expect(committee.setEpoch(2, [members[0].address], 1))
        .to.be.revertedWithCustomError(committee, "InvalidEpoch")
        .withArgs(1, 2);
    });

    it("requires a strict-majority quorum not above the member count", async () => {
      const { committee, members } = await loadFixture(fixture);
      const addrs = members.map((m) => m.address);
      await expect(committee.setEpoch(1, addrs, 2)).to.be.revertedWithCustomError(committee, "InvalidQuorum").withArgs(2, 4);
      await expect(committee.setEpoch(1, addrs, 5)).to.be.revertedWithCustomError(committee, "InvalidQuorum").withArgs(5, 4);
      await expect(committee.setEpoch(1, [], 0)).to.be.revertedWithCustomError(committee, "InvalidQuorum").withArgs(0, 0);
    });

    it("rejects zero and duplicate members", async () => {
      const { committee, members } = await loadFixture(fixture);
      await expect(committee.setEpoch(1, [members[0].address, ethers.ZeroAddress], 2))
        .to.be.revertedWithCustomError(committee, "InvalidMember")
        .withArgs(ethers.ZeroAddress);
      await expect(committee.setEpoch(1, [members[0].address, members[0].address], 2))
        .to.be.revertedWithCustomError(committee, "InvalidMember")
        .withArgs(members[0].address);
    });

    it("is admin only", async () => {
      const { committee, stranger, members } = await loadFixture(fixture);
      await expect(committee.connect(stranger).setEpoch(1, [members[0].address], 1))
        .to.be.revertedWithCustomError(committee, "OwnableUnauthorizedAccount")
        .withArgs(stranger.address);
    });
  });

  describe("verify", () => {
    it("accepts quorum signatures of distinct current members in ascending order", async () => {
      const { committee, members } = await loadFixture(withEpoch1);
      const v = await verdict();
      expect(await committee.verify(v, await h.signVerdict(committee, members.slice(0, 3), v))).to.equal(true);
      expect(await committee.verify(v, await h.signVerdict(committee, members, v))).to.equal(true);
    });

    it("reverts without a committee", async () => {
      const { committee, members } = await loadFixture(fixture);
      const v = await verdict();
      await expect(committee.verify(v, await h.signVerdict(committee, members, v))).to.be.revertedWithCustomError(
        committee,
        "NoCommittee",
      );
    });

    it("reverts below quorum", async () => {
      const { committee, members } = await loadFixture(withEpoch1);
      const v = await verdict();
      await expect(committee.verify(v, await h.signVerdict(committee, members.slice(0, 2), v)))
        .to.be.revertedWithCustomError(committee, "NotEnoughSignatures")
        .withArgs(2, 3);
    });

    it("reverts on unordered or repeated signers", async () => {
      const { committee, members } = await loadFixture(withEpoch1);
      const v = await verdict();
      const sigs = await h.signVerdict(committee, members.slice(0, 3), v);
      await expect(committee.verify(v, [sigs[1], sigs[0], sigs[2]]))
        .to.be.revertedWithCustomError(committee, "SignersNotAscending")
        .withArgs(1);
      await expect(committee.verify(v, [sigs[0], sigs[0], sigs[1]]))
        .to.be.revertedWithCustomError(committee, "SignersNotAscending")
        .withArgs(1);
    });

    it("reverts on a non-member signer, including members of a previous epoch only", async () => {
      const { committee, members, signers } = await loadFixture(withEpoch1);
      const v = await verdict();
      const outsider = signers[5];
      await expect(committee.verify(v, await h.signVerdict(committee, [members[0], members[1], outsider], v)))
        .to.be.revertedWithCustomError(committee, "NotMember")
        .withArgs(outsider.address);
      // Epoch 2 drops members[0].
      await committee.setEpoch(2, members.slice(1).map((m) => m.address), 2);
      await expect(committee.verify(v, await h.signVerdict(committee, [members[0], members[1]], v)))
        .to.be.revertedWithCustomError(committee, "NotMember")
        .withArgs(members[0].address);
      expect(await committee.verify(v, await h.signVerdict(committee, members.slice(2), v))).to.equal(true);
    });

    it("reverts when members signed a different verdict", async () => {
      const { committee, members } = await loadFixture(withEpoch1);
      const v = await verdict();
      const sigs = await h.signVerdict(committee, members, v);
      // The recovered addresses are unrelated to the members: either not ascending or not a member.
      await expect(committee.verify({ ...v, expiresAt: v.expiresAt + 1 }, sigs)).to.be.reverted;
      const one = await h.signVerdict(committee, members.slice(0, 1), v);
      const other = await h.signVerdict(committee, members.slice(1, 3), { ...v, tcbStatus: 1 });
      const mixed = [one[0], ...other].sort();
      await expect(committee.verify(v, mixed)).to.be.reverted;
    });

    it("reverts on malformed and high-s signatures", async () => {
      const { committee, members } = await loadFixture(withEpoch1);
      const v = await verdict();
      const sigs = await h.signVerdict(committee, members.slice(0, 3), v);
      await expect(committee.verify(v, [sigs[0].slice(0, 130), sigs[1], sigs[2]]))
        .to.be.revertedWithCustomError(committee, "ECDSAInvalidSignatureLength")
        .withArgs(64);
      const sig = ethers.Signature.from(sigs[0]);
      const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
      const highS = ethers.concat([sig.r, ethers.toBeHex(n - BigInt(sig.s), 32), sig.v === 27 ? "0x1c" : "0x1b"]);
      await expect(committee.verify(v, [highS, sigs[1], sigs[2]])).to.be.revertedWithCustomError(
        committee,
        "ECDSAInvalidSignatureS",
      );
    });
  });

  describe("EIP-712", () => {
    it("computes the digest and domain separator ethers computes", async () => {
      const { committee } = await loadFixture(fixture);
      const v = await verdict();
      const domain = await h.domainOf(committee, "WeTEE Committee");
      expect(await committee.verdictDigest(v)).to.equal(ethers.TypedDataEncoder.hash(domain, h.VERDICT_TYPES, v));
      expect(await committee.domainSeparator()).to.equal(ethers.TypedDataEncoder.hashDomain(domain));
      expect(await committee.VERDICT_TYPEHASH()).to.equal(
        ethers.id(
          "Verdict(uint64 workloadId,uint32 version,address instance,uint8 teeType,bytes32 measurementHash,uint8 tcbStatus,uint64 issuedAt,uint64 expiresAt)",
        ),
      );
    });
  });

  describe("ownership", () => {
    it("transfers in two steps and cannot be renounced", async () => {
      const { committee, admin, stranger } = await loadFixture(fixture);
      await expect(committee.renounceOwnership()).to.be.revertedWithCustomError(committee, "RenounceDisabled");
      await committee.transferOwnership(stranger.address);
      expect(await committee.owner()).to.equal(admin.address);
      await expect(committee.connect(stranger).acceptOwnership())
        .to.emit(committee, "OwnershipTransferred")
        .withArgs(admin.address, stranger.address);
      expect(await committee.owner()).to.equal(stranger.address);
    });
  });
});
