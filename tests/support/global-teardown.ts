import { rm } from 'node:fs/promises';
import teardownDatabase from '@civic/db/jest-global-teardown';
import pg from 'pg';

/** Drops the run's database (and the workers' copies of it) and removes its object-store directory. */
export default async function teardown(): Promise<void> {
  const copies = Number(process.env.CIVIC_TEST_WORKER_DATABASES ?? 0);
  if (copies > 1 && process.env.DATABASE_URL && process.env.KEEP_TEST_DATABASE !== '1') {
    const template = new URL(process.env.DATABASE_URL).pathname.slice(1);
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL.replace(/\/[^/?]+(\?|$)/, '/postgres$1') });
    await client.connect();
    try {
      for (let worker = 1; worker <= copies; worker += 1) {
        await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(`${template}_w${worker}`)} WITH (FORCE)`);
      }
    } finally {
      await client.end();
    }
  }
  await teardownDatabase();
  if (process.env.STORAGE_DIR?.includes('civic-test-storage-')) await rm(process.env.STORAGE_DIR, { recursive: true, force: true });
}
