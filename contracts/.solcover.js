// solidity-coverage: json-summary for scripts/check-coverage.js; irMinimum keeps the instrumented viaIR build fast.
module.exports = {
  istanbulReporter: ["text-summary", "json-summary", "html"],
  irMinimum: true,
  skipFiles: ["test/ForwardingAccount.sol"],
};
