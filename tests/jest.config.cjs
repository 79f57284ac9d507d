module.exports = {
  ...require('../jest.preset.cjs'),
  roots: ['<rootDir>/e2e', '<rootDir>/browser'],
  testTimeout: 60000,
  // Node's environment; a failing browser test also prints what its pages showed.
  testEnvironment: '<rootDir>/support/browser-environment.cjs',
  // A fresh migrated database with the demo data, shared by the run's test files.
  globalSetup: '<rootDir>/support/global-setup.ts',
  globalTeardown: '<rootDir>/support/global-teardown.ts',
  // One file at a time. With more workers (JEST_MAX_WORKERS / --maxWorkers), each Jest worker
  // runs on its own copy of that database; on two cores, timing-sensitive browser and shutdown
  // tests then share the machine with another file.
  maxWorkers: Number(process.env.JEST_MAX_WORKERS ?? 1),
  setupFiles: ['<rootDir>/support/worker-database.ts'],
};
