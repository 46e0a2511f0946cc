// Independent reference ciphertexts for EciesTest and SecretCipherTest, computed with
// @noble/curves (point arithmetic) and Node's crypto (HKDF-SHA256, AES-256-GCM). Run from the
// repository root:  NODE_PATH=contracts/node_modules node wetee-crypto/src/test/vectors/ecies-vectors.cjs
const { secp256k1 } = require("@noble/curves/secp256k1");
const crypto = require("node:crypto");

const G = secp256k1.ProjectivePoint.BASE;
const hex = (b) => Buffer.from(b).toString("hex");
const big = (h) => BigInt("0x" + h);
const compressed = (p) => Buffer.from(p.toRawBytes(true));
const xOf = (p) => compressed(p).subarray(1);
const be = (n, width) => Buffer.from(n.toString(16).padStart(width * 2, "0"), "hex");
function gcm(key, nonce, pt, aad) {
  const c = crypto.createCipheriv("aes-256-gcm", key, nonce);
  c.setAAD(aad);
  return Buffer.concat([c.update(pt), c.final(), c.getAuthTag()]);
}
const hkdf = (ikm, info, len) => Buffer.from(crypto.hkdfSync("sha256", ikm, Buffer.alloc(0), info, len));

// DESIGN §4 secret encryption.
const s = big("11".repeat(32));
const r = big("22".repeat(32));
const nonce = Buffer.from("33".repeat(12), "hex");
const pk = G.multiply(s);
const c1 = G.multiply(r);
const z = pk.multiply(r);
const name = Buffer.from("api-key", "utf8");
const info = Buffer.concat([
  Buffer.from("wetee-secret-v1", "ascii"), be(31337n, 32),
  Buffer.from("5fbdb2315678afecb367f032d93f642f64180aa3", "hex"),
  Buffer.from("f39fd6e51aad88f6f4ce6ab8827279cfffb92266", "hex"),
  be(BigInt(name.length), 2), name, be(3n, 4),
]);
const k = hkdf(Buffer.concat([xOf(z), compressed(c1)]), info, 32);
const secret = Buffer.concat([Buffer.from([1]), compressed(c1), nonce,
  gcm(k, nonce, Buffer.from("hunter2", "utf8"), info)]);

// ECIES.
const d = big("44".repeat(32));
const e = big("55".repeat(32));
const R = G.multiply(e);
const S = G.multiply(d).multiply(e);
const context = Buffer.from("ctx", "utf8");
const okm = hkdf(Buffer.concat([xOf(S), compressed(R)]),
  Buffer.concat([Buffer.from("wetee-ecies-v1", "ascii"), context]), 44);
const ecies = Buffer.concat([Buffer.from([1]), compressed(R),
  gcm(okm.subarray(0, 32), okm.subarray(32), Buffer.from("hello", "utf8"), context)]);

console.log(JSON.stringify({ groupKey: hex(compressed(pk)), info: hex(info), secret: hex(secret),
  ecies: hex(ecies) }, null, 2));
