module.exports = {
  ...require('../../jest.preset.cjs'),
  roots: ['<rootDir>/src'],
  testTimeout: 30000,
  // One fresh, migrated PostgreSQL database per run (built from this package's dist).
  globalSetup: '<rootDir>/dist/testing/jest-global-setup.js',
  globalTeardown: '<rootDir>/dist/testing/jest-global-teardown.js',
};
