// Runs `npm ci` unless node_modules was already installed from the current package-lock.json.
// A marker file in node_modules records the lock file's SHA-256; a fresh clone has no marker and installs.
// Uses only Node built-ins (it runs before node_modules exists).
"use strict";

const crypto = require("crypto");
const fs = require("fs");
const path = require("path");
const { spawnSync } = require("child_process");

const MIN_NODE_MAJOR = 20;
const major = Number.parseInt(process.versions.node.split(".")[0], 10);
if (major < MIN_NODE_MAJOR) {
  console.error(`Node.js ${MIN_NODE_MAJOR}+ is required to build the contracts, found ${process.versions.node}`);
  process.exit(1);
}

const root = path.join(__dirname, "..");
const lock = path.join(root, "package-lock.json");
const marker = path.join(root, "node_modules", ".wetee-lock-sha256");
const digest = crypto.createHash("sha256").update(fs.readFileSync(lock)).digest("hex");

if (fs.existsSync(marker) && fs.readFileSync(marker, "utf8").trim() === digest) {
  console.log("node_modules is up to date with package-lock.json; skipping npm ci");
  process.exit(0);
}

const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const result = spawnSync(npm, ["ci", "--no-audit", "--no-fund"], { cwd: root, stdio: "inherit" });
if (result.error || result.status !== 0) {
  console.error(`npm ci failed${result.error ? ": " + result.error.message : ` with exit code ${result.status}`}`);
  process.exit(1);
}
fs.writeFileSync(marker, digest + "\n");
