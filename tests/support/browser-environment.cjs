// The test environment of the end-to-end and browser files: Node's, plus one hook. When a test
// fails, a browser the file launched (see support/browser.ts) reports what its pages showed: each
// page's address, the error texts on screen, failed API calls and console errors. A browser test
// that fails on a clean clone then says why, not only which wait ran out.
const { TestEnvironment } = require('jest-environment-node');

class CivicTestEnvironment extends TestEnvironment {
  async handleTestEvent(event) {
    if (event.name !== 'test_fn_failure') return;
    const report = this.global.__civicBrowserFailureReport;
    if (typeof report !== 'function') return;
    const names = [];
    for (let block = event.test; block; block = block.parent) if (block.name && block.name !== 'ROOT_DESCRIBE_BLOCK') names.unshift(block.name);
    try {
      await report(names.join(' › '));
    } catch (error) {
      process.stderr.write(`browser failure report failed: ${error}\n`);
    }
  }
}

module.exports = CivicTestEnvironment;
