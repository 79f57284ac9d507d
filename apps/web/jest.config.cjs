// Jest runs in ESM mode (NODE_OPTIONS=--experimental-vm-modules): react-router 8 ships ES modules only.
// SWC settings follow ../../jest.preset.cjs, plus TSX and React's automatic JSX runtime.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: '<rootDir>/src/test/jsdom-fetch-environment.cjs',
  reporters: ['default', require('node:path').join(__dirname, '../../scripts/jest-summary-reporter.cjs')],
  roots: ['<rootDir>/src'],
  // Pages driven through antd forms and selects in jsdom take seconds on a 2-core machine.
  testTimeout: 30_000,
  extensionsToTreatAsEsm: ['.ts', '.tsx'],
  setupFiles: ['<rootDir>/src/test/jsdom-globals.cjs'],
  setupFilesAfterEnv: ['<rootDir>/src/test/setup-tests.ts'],
  moduleNameMapper: {
    '\\.css$': '<rootDir>/src/test/style-stub.cjs',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.tsx?$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', tsx: true },
          transform: { react: { runtime: 'automatic' } },
          target: 'es2022',
          // Keep `with { type: 'json' }` on JSON imports: Node's ESM loader (and Jest's) requires it.
          experimental: { keepImportAttributes: true, emitAssertForImportAttributes: false },
        },
        module: { type: 'es6' },
      },
    ],
  },
};
