// solidity-coverage: produce json-summary for scripts/check-coverage.js.
module.exports = {
  istanbulReporter: ["text-summary", "json-summary", "html"],
  skipFiles: [],
};
