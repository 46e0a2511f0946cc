// Peer side of the attestation bench: @phala/dcap-qvl-web (Phala's Rust dcap-qvl compiled to
// WebAssembly) verifying D1 (SGX) and D2 (TDX) with the same files and times as the Java side.
// Prints "dcap-qvl-web SAMPLE THREADS MICROS" lines; two threads are two worker_threads, each
// with its own WebAssembly instance. dcap-qvl does not verify SEV-SNP, so S1 has no peer.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const here = path.dirname(fileURLToPath(import.meta.url));
const pkg = path.join(here, 'node_modules/@phala/dcap-qvl-web');

const SAMPLES = {
  D1: ['sgx/dcap-qvl/sgx_quote.bin', 'sgx/dcap-qvl/sgx_quote_collateral.json', 1752919277n],
  D2: ['tdx/dcap-qvl/tdx_quote.bin', 'tdx/dcap-qvl/tdx_quote_collateral.json', 1752919234n],
};

async function load() {
  const m = await import(path.join(pkg, 'dcap-qvl-web.js'));
  m.initSync({ module: fs.readFileSync(path.join(pkg, 'dcap-qvl-web_bg.wasm')) });
  return m;
}

// Verifies for `seconds` and returns the count; throws unless every verification succeeds.
async function run(dir, name, seconds) {
  const { js_verify } = await load();
  const [q, c, now] = SAMPLES[name];
  const quote = new Uint8Array(fs.readFileSync(path.join(dir, q)));
  const collateral = JSON.parse(fs.readFileSync(path.join(dir, c), 'utf8'));
  const deadline = performance.now() + seconds * 1000;
  let n = 0;
  while (performance.now() < deadline) {
    const r = js_verify(quote, collateral, now);
    if (!r || !r.status) throw new Error(`${name} did not verify`);
    n++;
  }
  return n;
}

if (!isMainThread) {
  const { dir, name, seconds } = workerData;
  run(dir, name, seconds).then((n) => parentPort.postMessage(n));
} else {
  const [dir, secondsArg] = process.argv.slice(2);
  const seconds = Number(secondsArg);
  const inWorkers = (name, threads) =>
    Promise.all(
      Array.from({ length: threads }, () =>
        new Promise((resolve, reject) => {
          const w = new Worker(fileURLToPath(import.meta.url), { workerData: { dir, name, seconds } });
          w.once('message', resolve);
          w.once('error', reject);
        })));
  for (const name of Object.keys(SAMPLES)) {
    await inWorkers(name, 1); // warm-up
    for (const threads of [1, 2]) {
      const t0 = performance.now();
      const counts = await inWorkers(name, threads);
      const elapsedUs = (performance.now() - t0) * 1000;
      const total = counts.reduce((a, b) => a + b, 0);
      console.log(`dcap-qvl-web ${name} ${threads} ${(elapsedUs / total).toFixed(1)}`);
    }
  }
}
