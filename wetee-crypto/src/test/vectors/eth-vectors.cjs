// Independent reference values for the Java tests, computed with ethers v6 (the library the
// contracts' tests use). Run from the repository root:
//   NODE_PATH=contracts/node_modules node wetee-crypto/src/test/vectors/eth-vectors.cjs
const { ethers } = require("ethers");

const key = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const wallet = new ethers.Wallet(key);
const chainId = 31337n;
const contract = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const out = {};

function typed(name, typeName, fields, value) {
  const domain = { name, version: "1", chainId, verifyingContract: contract };
  const types = { [typeName]: fields };
  return {
    encodeType: ethers.TypedDataEncoder.from(types).encodeType(typeName),
    hashStruct: ethers.TypedDataEncoder.hashStruct(typeName, types, value),
    digest: ethers.TypedDataEncoder.hash(domain, types, value),
    signature: wallet.signingKey.sign(ethers.TypedDataEncoder.hash(domain, types, value)).serialized,
  };
}

out.verdict = typed("WeTEE Committee", "Verdict", [
  { name: "workloadId", type: "uint64" }, { name: "version", type: "uint32" },
  { name: "instance", type: "address" }, { name: "teeType", type: "uint8" },
  { name: "measurementHash", type: "bytes32" }, { name: "tcbStatus", type: "uint8" },
  { name: "issuedAt", type: "uint64" }, { name: "expiresAt", type: "uint64" },
], {
  workloadId: 18446744073709551615n, version: 7, instance: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
  teeType: 3, measurementHash: ethers.keccak256(ethers.toUtf8Bytes("measurement")), tcbStatus: 1,
  issuedAt: 1700000000, expiresAt: 1700003600,
});

out.settle = typed("WeTEE Cloud", "SettleProof", [
  { name: "workloadId", type: "uint64" }, { name: "version", type: "uint32" },
  { name: "fromBlock", type: "uint64" }, { name: "toBlock", type: "uint64" },
  { name: "logsRoot", type: "bytes32" }, { name: "metricsRoot", type: "bytes32" },
], {
  workloadId: 42, version: 4294967295n, fromBlock: 100, toBlock: 700,
  logsRoot: ethers.keccak256(ethers.toUtf8Bytes("logs")), metricsRoot: ethers.keccak256(ethers.toUtf8Bytes("metrics")),
});

out.run = typed("WeTEE Cloud", "RunResult", [
  { name: "workloadId", type: "uint64" }, { name: "version", type: "uint32" },
  { name: "runId", type: "uint64" }, { name: "exitCode", type: "int32" },
  { name: "resultHash", type: "bytes32" }, { name: "logsHash", type: "bytes32" },
], {
  workloadId: 42, version: 2, runId: 9, exitCode: -2,
  resultHash: ethers.keccak256(ethers.toUtf8Bytes("result")), logsHash: ethers.keccak256(ethers.toUtf8Bytes("run logs")),
});

out.reportData = ethers.solidityPackedKeccak256(
  ["string", "uint256", "address", "uint64", "uint32", "address", "bytes32"],
  ["wetee-attest-v1", chainId, contract, 42, 3, "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
   ethers.keccak256(ethers.toUtf8Bytes("nonce"))]);

const hardhat1 = new ethers.Wallet("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
out.hardhat1 = hardhat1.address;
out.personal = wallet.signMessageSync("hello wetee");
out.hashSig = wallet.signingKey.sign(ethers.keccak256(ethers.toUtf8Bytes("abc"))).serialized;
console.log(JSON.stringify(out, null, 2));
