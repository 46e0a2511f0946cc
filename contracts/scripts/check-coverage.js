// Fails when solidity-coverage's line coverage is below the threshold (default 90%).
//   node scripts/check-coverage.js [minLinesPercent]
"use strict";

const fs = require("fs");
const path = require("path");

const min = Number.parseFloat(process.argv[2] || "90");
const summaryPath = path.join(__dirname, "..", "coverage", "coverage-summary.json");
if (!fs.existsSync(summaryPath)) {
  console.error(`${summaryPath} not found: run 'npx hardhat coverage' first`);
  process.exit(1);
}
const total = JSON.parse(fs.readFileSync(summaryPath, "utf8")).total;
const pct = total.lines.pct;
console.log(
  `coverage: lines ${pct}% (${total.lines.covered}/${total.lines.total}), statements ${total.statements.pct}%, ` +
    `branches ${total.branches.pct}%, functions ${total.functions.pct}%; required lines >= ${min}%`,
);
if (!(pct >= min)) {
  console.error(`line coverage ${pct}% is below ${min}%`);
  process.exit(1);
}
