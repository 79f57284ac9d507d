// Writes each package's test totals to $JEST_RESULTS_DIR so the test command can print one
// closing line for the whole suite.
const fs = require('node:fs');
const path = require('node:path');

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const dir = process.env.JEST_RESULTS_DIR;
    if (!dir) return;
    const name = (process.env.npm_package_name || path.basename(process.cwd())).replace(/[^a-z0-9]+/gi, '_');
    const { numPassedTests, numFailedTests, numPendingTests, numTotalTests } = results;
    fs.writeFileSync(path.join(dir, `${name}.json`), JSON.stringify({ numPassedTests, numFailedTests, numPendingTests, numTotalTests }));
  }
}
module.exports = SummaryReporter;
