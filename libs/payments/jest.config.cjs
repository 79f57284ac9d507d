module.exports = {
  ...require('../../jest.preset.cjs'),
  roots: ['<rootDir>/src'],
  testTimeout: 30000,
  // One fresh, migrated PostgreSQL database per run (see libs/db/src/testing).
  globalSetup: require.resolve('@civic/db/jest-global-setup'),
  globalTeardown: require.resolve('@civic/db/jest-global-teardown'),
};
