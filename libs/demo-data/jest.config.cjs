// Every test here writes files through DuckDB: on a busy 2-core machine one can take longer than Jest's default 5 s.
module.exports = { ...require('../../jest.preset.cjs'), roots: ['<rootDir>/src'], testTimeout: 60_000 };
