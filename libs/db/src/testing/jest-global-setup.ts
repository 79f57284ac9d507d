import { createTestDatabase, type TestDatabase } from './test-database.js';

declare global {
  var __civicTestDatabase: TestDatabase | undefined;
}

/** Jest globalSetup: one migrated database per test run, exposed as DATABASE_URL. */
export default async function setup(): Promise<void> {
  const prefix = `t_${(process.env.npm_package_name ?? 'pkg').replace(/[^a-z0-9]+/gi, '_').toLowerCase()}`.slice(0, 30);
  const database = await createTestDatabase(prefix);
  globalThis.__civicTestDatabase = database;
  process.env.DATABASE_URL = database.url;
  process.env.REDIS_URL ??= 'redis://127.0.0.1:6379';
}
