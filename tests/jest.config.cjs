module.exports = {
  ...require('../jest.preset.cjs'),
  roots: ['<rootDir>/e2e', '<rootDir>/browser'],
  testTimeout: 60000,
  // Node's environment; a failing browser test also prints what its pages showed.
  testEnvironment: '<rootDir>/support/browser-environment.cjs',
  // A fresh migrated database with the demo data, shared by the run's test files.
  globalSetup: '<rootDir>/support/global-setup.ts',
  globalTeardown: '<rootDir>/support/global-teardown.ts',
  // Two files at a time, each Jest worker on its own copy of that database.
  maxWorkers: 2,
  setupFiles: ['<rootDir>/support/worker-database.ts'],
};
