module.exports = {
  ...require('../jest.preset.cjs'),
  roots: ['<rootDir>/e2e', '<rootDir>/browser'],
  testTimeout: 60000,
  // Node's environment; a failing browser test also prints what its pages showed.
  testEnvironment: '<rootDir>/support/browser-environment.cjs',
  // A fresh migrated database with the demo data, shared by the run's test files.
  globalSetup: '<rootDir>/support/global-setup.ts',
  globalTeardown: '<rootDir>/support/global-teardown.ts',
  // Two files at a time (JEST_MAX_WORKERS or --maxWorkers to change it), each Jest worker on its
  // own copy of that database: most of a file's time is spent waiting on the API, the worker,
  // PostgreSQL and Chromium, so two files halve the run even on two cores.
  maxWorkers: Number(process.env.JEST_MAX_WORKERS ?? 2),
  setupFiles: ['<rootDir>/support/worker-database.ts'],
};
