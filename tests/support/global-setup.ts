import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDataSource, seedDemo, seedDemoCatalog, seedDemoCommerce, seedDemoProducts } from '@civic/db';
import setupDatabase from '@civic/db/jest-global-setup';
import pg from 'pg';

export const TEST_PASSWORD = 'Demo-pass-2026';

/**
 * One migrated database for the run, with the deterministic demo organizations, users and
 * the demo catalog (small scale) and the demo products derived from it, whose files live in an object-store directory of the run's
 * own (STORAGE_DIR, inherited by the API and worker processes the tests start). When test files
 * run in parallel, each Jest worker gets a copy of it (support/worker-database.ts): files in one
 * worker share a database one after another, as they would in a serial run.
 */
export default async function setup(globalConfig: { maxWorkers: number }): Promise<void> {
  await setupDatabase();
  process.env.STORAGE_DIR = await mkdtemp(path.join(tmpdir(), 'civic-test-storage-'));
  const dataSource = createDataSource({ url: process.env.DATABASE_URL!, poolSize: 2 });
  await dataSource.initialize();
  try {
    await seedDemo(dataSource, TEST_PASSWORD);
    await seedDemoCatalog(dataSource, { storage: { kind: 'local', root: process.env.STORAGE_DIR }, scale: 'small' });
    await seedDemoProducts(dataSource, { storage: { kind: 'local', root: process.env.STORAGE_DIR } });
    await seedDemoCommerce(dataSource);
  } finally {
    await dataSource.destroy();
  }
  const workers = globalConfig.maxWorkers;
  if (workers > 1) {
    const template = new URL(process.env.DATABASE_URL!).pathname.slice(1);
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL!.replace(/\/[^/?]+(\?|$)/, '/postgres$1') });
    await client.connect();
    try {
      for (let worker = 1; worker <= workers; worker += 1) {
        await client.query(`CREATE DATABASE ${pg.escapeIdentifier(`${template}_w${worker}`)} TEMPLATE ${pg.escapeIdentifier(template)}`);
      }
    } finally {
      await client.end();
    }
    process.env.CIVIC_TEST_WORKER_DATABASES = String(workers);
  }
}
