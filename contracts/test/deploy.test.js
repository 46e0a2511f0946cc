const { expect } = require("chai");
const { ethers } = require("hardhat");
const { deploy, devAccounts } = require("../scripts/deploy");
const h = require("./helpers");

describe("deploy script", () => {
  it("deploys, wires and configures the contracts and describes them", async () => {
    const signers = await ethers.getSigners();
    const members = signers.slice(10, 14).map((s) => s.address);
    const d = await deploy({ WETEE_COMMITTEE: members.join(","), WETEE_QUORUM: "3" });
    expect(d.chainId).to.equal(31337);
    expect(d.rpcUrl).to.equal("http://127.0.0.1:8545");
    expect(Object.keys(d.contracts)).to.deep.equal(["Subnet", "Committee", "Cloud"]);
    const subnet = await ethers.getContractAt("Subnet", d.contracts.Subnet);
    const committee = await ethers.getContractAt("Committee", d.contracts.Committee);
    const cloud = await ethers.getContractAt("Cloud", d.contracts.Cloud);
    // deployBlock is the block of the first deployment transaction (Subnet).
    expect(await ethers.provider.getCode(d.contracts.Subnet, d.deployBlock - 1)).to.equal("0x");
    expect(await ethers.provider.getCode(d.contracts.Subnet, d.deployBlock)).to.not.equal("0x");
    expect(await subnet.cloud()).to.equal(d.contracts.Cloud);
    expect(await cloud.subnet()).to.equal(d.contracts.Subnet);
    expect(await cloud.committee()).to.equal(d.contracts.Committee);
    expect(await subnet.getRegion(0)).to.equal("local");
    expect((await subnet.getLevel(0)).minStake).to.equal(h.ETH);
    expect((await subnet.getLevel(2)).minStake).to.equal(20n * h.ETH);
    expect(await cloud.settleInterval()).to.equal(10n);
    expect(await cloud.feeBps()).to.equal(500n);
    expect(await subnet.unstakeCooldown()).to.equal(20n);
    expect(await committee.currentCommittee()).to.deep.equal([1n, members, 3n]);
    expect(await subnet.owner()).to.equal(signers[0].address);
  });

  it("leaves the committee empty without WETEE_COMMITTEE and rejects a bad quorum", async () => {
    const d = await deploy({});
    const committee = await ethers.getContractAt("Committee", d.contracts.Committee);
    expect(await committee.currentEpoch()).to.equal(0n);
    const [a, b] = (await ethers.getSigners()).slice(10, 12).map((s) => s.address);
    await expect(deploy({ WETEE_COMMITTEE: `${a},${b}`, WETEE_QUORUM: "1" })).to.be.rejectedWith("WETEE_QUORUM");
    await expect(deploy({ WETEE_COMMITTEE: `${a},nope`, WETEE_QUORUM: "2" })).to.be.rejectedWith("not an address");
  });

  it("lists the 20 Hardhat development accounts with their roles", () => {
    const accounts = devAccounts();
    expect(accounts).to.have.length(20);
    expect(accounts[0]).to.deep.equal({
      index: 0,
      address: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
      privateKey: "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
      role: "admin",
    });
    expect(accounts.slice(1, 10).every((a) => a.role === "user")).to.equal(true);
    expect(accounts.slice(10).every((a) => a.role === "devnet")).to.equal(true);
    expect(accounts[19].address).to.equal("0x8626f6940E2eb28930eFb4CeF49B2d1F2C9C1199");
  });
});
